// Thin: the `projections` queue's catch-up job (woken by the API after each append, deduplicated)
// and a sweep about every second both drain the feed into every projection. After obligations
// move, the next status check is scheduled on the `obligations` queue. Rebuild jobs run beside
// catch-up (the worker takes several jobs at once), and at start-up a projection whose version
// changed in code, or whose rebuild was left half-done, gets a rebuild job.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { EventStore } from '@app/event-store';
import {
  nextStatusCheckAt,
  PROJECTION_JOBS,
  ProjectionRebuilder,
  RebuildJobData,
  RebuildProgress,
  rebuildJobProjections,
  requestRebuild,
  PROJECTION_SWEEP_EVERY_MS,
  PROJECTIONS,
  projectionsNamed,
  ProjectionRunner,
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

const FOLLOW_UP_DELAY_MS = 50;
/** Catch-up, follow-up and sweep, plus rebuilds running beside them. */
const CONCURRENCY = 4;

@Injectable()
export class ProjectionsProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private queue?: Queue;
  private obligationsQueue?: Queue;
  private worker?: Worker;
  private readonly runner: ProjectionRunner;
  private readonly rebuilder: ProjectionRebuilder;
  /** Aborted on shutdown: a running rebuild stops after its batch and is retried elsewhere. */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService<AppConfig, true>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.runner = new ProjectionRunner(pool, { store, now: clock });
    this.rebuilder = new ProjectionRebuilder(pool, { store, now: clock });
  }

  async onModuleInit(): Promise<void> {
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    this.queue = new Queue(QUEUES.projections, { connection: this.redis, prefix });
    this.obligationsQueue = new Queue(QUEUES.obligations, { connection: this.redis, prefix });
    await this.runner.ensureCheckpoints(PROJECTIONS);
    this.worker = new Worker(QUEUES.projections, (job) => this.process(job), {
      connection: this.redis,
      prefix,
      concurrency: CONCURRENCY,
      // A killed worker's job (a rebuild) is handed to another worker within about 15 s.
      lockDuration: 15_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    });
    reportQueueErrors(this.logger, [this.queue, this.obligationsQueue, this.worker]);
    this.worker.on('failed', (job, err) => this.logger.warn(`${job?.name} failed: ${err.message}`));
    this.worker.on(
      'completed',
      (job, result: Record<string, number>) => void this.followUp(job, result),
    );
    await keepScheduled(this.queue, this.redis, PROJECTION_JOBS.sweep, PROJECTION_SWEEP_EVERY_MS);
    await this.requestDueRebuilds();
  }

  /**
   * Version changed in code since the tables were built, or a rebuild left half-done: one job
   * rebuilds them all together (one read of the feed for the projections that read most of it).
   */
  private async requestDueRebuilds(): Promise<void> {
    const { rows } = await this.pool.query<{ name: string; version: number; rebuilding: boolean }>(
      `SELECT c.name, c.version, r.name IS NOT NULL AS rebuilding
         FROM projection_checkpoints c LEFT JOIN projection_rebuilds r USING (name)`,
    );
    const due = PROJECTIONS.map((p) => ({ p, row: rows.find((r) => r.name === p.name) })).filter(
      ({ p, row }) => row && (row.version !== p.version || row.rebuilding),
    );
    if (due.length === 0 || !this.queue) return;
    const reason = due.every(({ row }) => row?.rebuilding) ? 'resume' : 'version-changed';
    const { jobId, projections } = await requestRebuild(
      this.queue,
      due.map(({ p }) => p.name),
      reason,
    );
    if (projections.length > 0) {
      this.logger.log(`rebuild of ${projections.join(', ')} (${reason}): job ${jobId}`);
    }
  }

  private async rebuild(job: Job<RebuildJobData>): Promise<RebuildProgress[] | RebuildProgress> {
    const names = rebuildJobProjections(job.data);
    const projections = projectionsNamed(names);
    // Progress of a job of one projection is that projection's; of several, keyed by name.
    const progress = new Map<string, RebuildProgress>();
    const done = await this.rebuilder.rebuildTogether(projections, {
      batchSize: this.config.get('REBUILD_BATCH_SIZE', { infer: true }),
      signal: this.stopping.signal,
      onProgress: (p) => {
        progress.set(p.name, p);
        return job.updateProgress(
          names.length === 1 ? { ...p } : Object.fromEntries(progress.entries()),
        );
      },
    });
    return names.length === 1 ? done[0] : done;
  }

  async process(job: Job): Promise<Record<string, number> | RebuildProgress | RebuildProgress[]> {
    if (job.name === PROJECTION_JOBS.rebuild) return this.rebuild(job as Job<RebuildJobData>);
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
    // While Redis answers, closing waits for the jobs in hand: a catch-up commits its batch; a
    // rebuild commits its batch and fails this attempt, so the job is retried (and resumes) by the
    // next worker. During an outage it does not wait (closeWorkerAndQueues).
    this.stopping.abort();
    await closeWorkerAndQueues(this.redis, this.worker, [this.queue, this.obligationsQueue]);
  }
}
