// Thin: the `ledger` queue's jobs call the event store; the schedule lives in Redis so any
// number of worker replicas share one cadence.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import { EventStore } from '@app/event-store';
import { AppConfig, JOBS, QUEUES, REDIS } from '@app/shared';
import { ScheduledQueue, startScheduledQueue } from '../scheduling/scheduled-queue';

@Injectable()
export class LedgerProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');
  private scheduled?: ScheduledQueue;

  constructor(
    private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    this.scheduled = await startScheduledQueue({
      name: QUEUES.ledger,
      job: JOBS.sealLedger,
      everyMs: this.config.get('SEAL_INTERVAL_MS', { infer: true }),
      redis: this.redis,
      prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
      logger: this.logger,
      process: (job) => this.process(job),
    });
  }

  async process(job: Job): Promise<{ seals: number; events: number }> {
    if (job.name !== JOBS.sealLedger) throw new Error(`unknown job ${job.name}`);
    const seals = await this.store.sealCommitted();
    const events = seals.reduce((n, s) => n + s.eventCount, 0);
    if (seals.length)
      this.logger.log(`sealed ${events} events up to seal ${seals[seals.length - 1].sealNo}`);
    return { seals: seals.length, events };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduled?.close();
  }
}
