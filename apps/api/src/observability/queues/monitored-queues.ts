// The BullMQ queues as operators see them (job counts for /metrics, Bull Board), on a Redis
// connection of their own without an offline queue: while Redis is away a command fails at once
// instead of waiting for it to come back (the shared connection waits, as BullMQ workers need).
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig, closeQueue, QUEUES } from '@app/shared';

@Injectable()
export class MonitoredQueues implements OnApplicationShutdown {
  /** Every queue of libs/shared, under this deployment's QUEUE_PREFIX. */
  readonly all: Queue[];
  private readonly redis: Redis;

  constructor(config: ConfigService<AppConfig, true>) {
    this.redis = new Redis(config.get('REDIS_URL', { infer: true }), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', () => undefined);
    const prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.all = Object.values(QUEUES).map((name) => {
      const queue = new Queue(name, { connection: this.redis, prefix });
      queue.on('error', () => undefined);
      return queue;
    });
  }

  /** Whether Redis answers now (a failed command while it does not is the client's 503). */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all.map((queue) => closeQueue(queue).catch(() => undefined)));
    this.redis.disconnect();
  }
}
