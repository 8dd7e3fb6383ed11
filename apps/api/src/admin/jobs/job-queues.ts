// The admin endpoints' view of the BullMQ queues: queueing a rebuild and reading a job's state,
// through the queue handles the metrics and the board already hold (one fail-fast Redis
// connection: while Redis is away a call is the client's 503, not a 500).
import { Injectable } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { QueueName } from '@app/shared';
import { ApiError } from '../../common/api-error';
import { MonitoredQueues } from '../../observability/queues/monitored-queues';

@Injectable()
export class JobQueues {
  constructor(private readonly queues: MonitoredQueues) {}

  queue(name: QueueName): Queue {
    const queue = this.queues.all.find((q) => q.name === name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  /** The job with this id in any queue, or null. */
  async findJob(id: string): Promise<Job | null> {
    for (const queue of this.queues.all) {
      const job = await this.reachable(() => queue.getJob(id));
      if (job) return job;
    }
    return null;
  }

  /** Runs a Redis operation; Redis being away is the client's 503, not a 500. */
  async reachable<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (this.queues.connected) throw err;
      throw new ApiError('UNAVAILABLE', 'the job queue (Redis) is not reachable; try again');
    }
  }
}
