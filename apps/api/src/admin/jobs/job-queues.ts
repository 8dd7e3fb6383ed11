// The API's handle on the BullMQ queues for operations: queueing a rebuild and reading a job's
// state. Like the projection waker, it fails fast while Redis is away (503) instead of queueing
// commands in memory.
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig, QUEUES, QueueName } from '@app/shared';
import { ApiError } from '../../common/api-error';

@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly queues: Map<QueueName, Queue>;

  constructor(config: ConfigService<AppConfig, true>) {
    this.redis = new Redis(config.get('REDIS_URL', { infer: true }), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', () => undefined);
    const prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.queues = new Map(
      Object.values(QUEUES).map((name) => {
        const queue = new Queue(name, { connection: this.redis, prefix });
        queue.on('error', () => undefined);
        return [name, queue];
      }),
    );
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  /** The job with this id in any queue, or null. */
  async findJob(id: string): Promise<Job | null> {
    for (const queue of this.queues.values()) {
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
      if (this.redis.status === 'ready') throw err;
      throw new ApiError('UNAVAILABLE', 'the job queue (Redis) is not reachable; try again');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.redis.disconnect();
  }
}
