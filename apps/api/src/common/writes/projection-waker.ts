// After each committed append, wake the projectors (a deduplicated catch-up job). A wake-up is a
// hint: with Redis down the write has already succeeded and the worker's sweep catches up.
import { Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { wakeProjections } from '@app/projections';
import { AppConfig, QUEUES } from '@app/shared';
import { AFTER_APPEND, AfterAppend } from './command-executor';

const WAKE_TIMEOUT_MS = 250;

@Injectable()
export class ProjectionWaker implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly queue: Queue;

  constructor(config: ConfigService<AppConfig, true>) {
    // A producer must fail fast while Redis is away instead of queueing commands in memory.
    this.redis = new Redis(config.get('REDIS_URL', { infer: true }), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', () => undefined);
    this.queue = new Queue(QUEUES.projections, {
      connection: this.redis,
      prefix: config.get('QUEUE_PREFIX', { infer: true }),
    });
    this.queue.on('error', () => undefined);
  }

  readonly wake: AfterAppend = () => {
    void wakeProjections(this.queue, WAKE_TIMEOUT_MS);
  };

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.redis.disconnect();
  }
}

export const AFTER_APPEND_PROVIDER: Provider = {
  provide: AFTER_APPEND,
  inject: [ProjectionWaker],
  useFactory: (waker: ProjectionWaker) => waker.wake,
};
