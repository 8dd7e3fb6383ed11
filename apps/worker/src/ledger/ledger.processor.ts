// Thin: the `ledger` queue's jobs call the event store; the schedule lives in Redis so any
// number of worker replicas share one cadence.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { EventStore } from '@app/event-store';
import { AppConfig, JOBS, QUEUES, REDIS, keepScheduled } from '@app/shared';

@Injectable()
export class LedgerProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    this.queue = new Queue(QUEUES.ledger, { connection: this.redis, prefix });
    this.worker = new Worker(QUEUES.ledger, (job) => this.process(job), {
      connection: this.redis,
      prefix,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.warn(`${job?.name} failed: ${err.message}`));
    await keepScheduled(
      this.queue,
      this.redis,
      JOBS.sealLedger,
      this.config.get('SEAL_INTERVAL_MS', { infer: true }),
    );
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
    // Worker.close() waits for the job in hand to finish.
    await this.worker?.close();
    await this.queue?.close();
  }
}
