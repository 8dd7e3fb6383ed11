// Thin: the `obligations` queue recomputes statuses whose time has come - a delayed job at the
// earliest next_status_check_at, and a sweep about every second for anything missed.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import {
  nextStatusCheckAt,
  OBLIGATION_JOBS,
  OBLIGATION_SWEEP_EVERY_MS,
  recomputeDueObligations,
  scheduleStatusCheck,
} from '@app/projections';
import {
  AppConfig,
  closeWorkerAndQueues,
  PG_POOL,
  QUEUES,
  REDIS,
  keepScheduled,
  reportQueueErrors,
} from '@app/shared';
import { CLOCK, Clock } from '../clock';

@Injectable()
export class ObligationsProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('obligations');
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService<AppConfig, true>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    this.queue = new Queue(QUEUES.obligations, { connection: this.redis, prefix });
    this.worker = new Worker(QUEUES.obligations, (job) => this.process(job), {
      connection: this.redis,
      prefix,
      concurrency: 1,
    });
    reportQueueErrors(this.logger, [this.queue, this.worker]);
    this.worker.on('failed', (job, err) => this.logger.warn(`${job?.name} failed: ${err.message}`));
    await keepScheduled(this.queue, this.redis, OBLIGATION_JOBS.sweep, OBLIGATION_SWEEP_EVERY_MS);
  }

  async process(job: Job): Promise<{ changed: number }> {
    if (job.name !== OBLIGATION_JOBS.checkStatuses && job.name !== OBLIGATION_JOBS.sweep) {
      throw new Error(`unknown job ${job.name}`);
    }
    const now = this.clock();
    const changed = await recomputeDueObligations(this.pool, now);
    const next = await nextStatusCheckAt(this.pool);
    if (next && this.queue) await scheduleStatusCheck(this.queue, next, now);
    return { changed };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWorkerAndQueues(this.redis, this.worker, [this.queue]);
  }
}
