// After committed appends, wake the projectors (a deduplicated catch-up job). A wake-up is a
// hint: with Redis down the write has already succeeded and the worker's sweep catches up.
import { Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { wakeProjections } from '@app/projections';
import { AppConfig, closeQueue, QUEUES } from '@app/shared';
import { AFTER_APPEND, AfterAppend } from './command-executor';

const WAKE_TIMEOUT_MS = 250;

/**
 * At most one wake-up per this many ms per process. A wake-up per append was a BullMQ add (a Lua
 * script in Redis) per request, about 60 us of this process's CPU and 35 us of Redis's, and all
 * but the first after a catch-up finishes are deduplicated away by the job id. The price is at
 * most this much extra lag for an append that follows another within it; an append after a
 * quiet period wakes at once.
 */
export const WAKE_EVERY_MS = 5;

/**
 * Coalesces wake-ups: the first append after a quiet period wakes at once; appends that follow
 * within `everyMs` share one wake-up sent when the period ends. Every append is followed by a
 * wake-up sent after it committed, so none waits for the sweep.
 */
export class WakeUpThrottle {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: () => void,
    private readonly everyMs = WAKE_EVERY_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Called after each committed append. */
  request(): void {
    if (this.timer) return; // the scheduled wake-up is sent after this append committed
    const wait = this.lastSentAt + this.everyMs - this.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
    this.timer.unref();
  }

  /** Sends the scheduled wake-up now, if there is one (on shutdown). */
  flush(): boolean {
    if (!this.timer) return false;
    clearTimeout(this.timer);
    this.timer = null;
    this.fire();
    return true;
  }

  private fire(): void {
    this.lastSentAt = this.now();
    this.send();
  }
}

@Injectable()
export class ProjectionWaker implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly throttle = new WakeUpThrottle(() => {
    this.lastWakeUp = wakeProjections(this.queue, WAKE_TIMEOUT_MS);
  });
  private lastWakeUp: Promise<boolean> = Promise.resolve(true);

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
    this.throttle.request();
  };

  async onApplicationShutdown(): Promise<void> {
    // A wake-up still waiting for its period goes out before the connection closes.
    this.throttle.flush();
    await this.lastWakeUp;
    await closeQueue(this.queue).catch(() => undefined);
    this.redis.disconnect();
  }
}

export const AFTER_APPEND_PROVIDER: Provider = {
  provide: AFTER_APPEND,
  inject: [ProjectionWaker],
  useFactory: (waker: ProjectionWaker) => waker.wake,
};
