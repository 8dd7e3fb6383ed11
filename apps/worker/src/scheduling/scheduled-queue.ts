// A queue whose only job repeats on a schedule kept in Redis (seals, replay snapshots): any number
// of worker replicas share one cadence, and one job runs at a time.
import type { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { closeWorkerAndQueues, keepScheduled, QueueName, reportQueueErrors } from '@app/shared';

export interface ScheduledQueue {
  readonly queue: Queue;
  readonly worker: Worker;
  /** Closes the worker (waiting for the job in hand while Redis answers), then the queue. */
  close(): Promise<void>;
}

export async function startScheduledQueue(options: {
  name: QueueName;
  job: string;
  everyMs: number;
  redis: Redis;
  prefix: string;
  logger: Logger;
  process: (job: Job) => Promise<unknown>;
}): Promise<ScheduledQueue> {
  const { name, redis, prefix } = options;
  const queue = new Queue(name, { connection: redis, prefix });
  const worker = new Worker(name, options.process, { connection: redis, prefix, concurrency: 1 });
  reportQueueErrors(options.logger, [queue, worker]);
  worker.on('failed', (job, err) => options.logger.warn(`${job?.name} failed: ${err.message}`));
  await keepScheduled(queue, redis, options.job, options.everyMs);
  return {
    queue,
    worker,
    async close() {
      await closeWorkerAndQueues(redis, worker, [queue]);
    },
  };
}
