import type { Queue, Worker } from 'bullmq';
import { closeQueue } from './close-queue';

/**
 * Stops a processor's BullMQ work on the shared connection `redis`: its worker first (no job
 * starts after this), then the queues it adds jobs to (closeQueue). Either may be missing when
 * start-up stopped half-way.
 *
 * The worker closes gracefully while Redis answers (the jobs in hand finish and their outcome is
 * recorded), at once when it does not. Then nothing can be recorded anyway, and a graceful close
 * would wait for Redis to come back: the QUIT of the worker's blocking connection queues until it
 * does, so a worker told to stop during an outage hung until killed. What a job had in hand in
 * PostgreSQL still commits or rolls back on its own; the job, never marked done, is taken up again
 * as stalled, and every job of this service can run twice.
 */
export async function closeWorkerAndQueues(
  redis: { status: string },
  worker: Worker | undefined,
  queues: readonly (Queue | undefined)[],
): Promise<void> {
  if (worker) await worker.close(redis.status !== 'ready');
  for (const queue of queues) if (queue) await closeQueue(queue);
}
