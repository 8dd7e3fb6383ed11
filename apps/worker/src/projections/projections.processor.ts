// Thin: the `projections` queue's catch-up job (woken by the API after each append, deduplicated)
// and a sweep about every second both drain the feed into every projection. After obligations
// move, the next status check is scheduled on the `obligations` queue.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { EventStore } from '@app/event-store';
import {
  nextStatusCheckAt,
  PROJECTION_JOBS,
  PROJECTION_SWEEP_EVERY_MS,
  PROJECTIONS,
  ProjectionRunner,
  scheduleStatusCheck,
} from '@app/projections';
import { AppConfig, PG_POOL, QUEUES, REDIS, keepScheduled } from '@app/shared';
import { CLOCK, Clock } from '../clock';

const FOLLOW_UP_DELAY_MS = 50;

@Injectable()
export class ProjectionsProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private queue?: Queue;
  private obligationsQueue?: Queue;
  private worker?: Worker;
  private readonly runner: ProjectionRunner;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService<AppConfig, true>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.runner = new ProjectionRunner(pool, { store, now: clock });
  }

  async onModuleInit(): Promise<void> {
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    this.queue = new Queue(QUEUES.projections, { connection: this.redis, prefix });
    this.obligationsQueue = new Queue(QUEUES.obligations, { connection: this.redis, prefix });
    await this.runner.ensureCheckpoints(PROJECTIONS);
    this.worker = new Worker(QUEUES.projections, (job) => this.process(job), {
      connection: this.redis,
      prefix,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.warn(`${job?.name} failed: ${err.message}`));
    this.worker.on(
      'completed',
      (job, applied: Record<string, number>) => void this.followUp(job, applied),
    );
    await keepScheduled(this.queue, this.redis, PROJECTION_JOBS.sweep, PROJECTION_SWEEP_EVERY_MS);
  }

  async process(job: Job): Promise<Record<string, number>> {
    if (
      job.name !== PROJECTION_JOBS.catchUp &&
      job.name !== PROJECTION_JOBS.sweep &&
      job.name !== PROJECTION_JOBS.followUp
    ) {
      throw new Error(`unknown job ${job.name}`);
    }
    const applied = await this.runner.catchUpAll(PROJECTIONS);
    if (applied.obligations > 0 && this.obligationsQueue) {
      const at = await nextStatusCheckAt(this.pool);
      if (at) await scheduleStatusCheck(this.obligationsQueue, at, this.clock());
    }
    return applied;
  }

  /**
   * A wake-up that arrived while a catch-up ran was deduplicated away, so an append that committed
   * after its last read would wait for the sweep. Once a wake-up job (or a follow-up that still
   * found events) has completed, one short-delayed follow-up pass covers that; with one fixed id
   * there is never more than one pending.
   */
  private async followUp(job: Job, applied: Record<string, number>): Promise<void> {
    const found = Object.values(applied ?? {}).some((n) => n > 0);
    if (job.name !== PROJECTION_JOBS.catchUp && !(job.name === PROJECTION_JOBS.followUp && found))
      return;
    await this.queue
      ?.add(
        PROJECTION_JOBS.followUp,
        {},
        {
          jobId: PROJECTION_JOBS.followUp,
          delay: FOLLOW_UP_DELAY_MS,
          removeOnComplete: true,
          removeOnFail: true,
        },
      )
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    // Worker.close() waits for the batch in hand to commit.
    await this.worker?.close();
    await this.queue?.close();
    await this.obligationsQueue?.close();
  }
}
