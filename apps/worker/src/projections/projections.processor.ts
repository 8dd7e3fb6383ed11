// Thin: the `projections` queue's catch-up job (woken by the API after each append, deduplicated)
// and a sweep about every second both drain the feed into every projection. After obligations
// move, the next status check is scheduled on the `obligations` queue. Rebuild jobs run beside
// catch-up (the worker takes several jobs at once, at most MAX_REBUILDS of them rebuilds), and at
// start-up a projection whose version changed in code, or whose rebuild was left half-done, gets a
// rebuild job; a periodic check gives one to a rebuild whose job was lost.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
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
  REBUILD_CHECK_EVERY_MS,
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
/**
 * Rebuild jobs one worker process runs at once: the other slots stay free for catch-up, sweeps and
 * checks, however many rebuilds are queued. A rebuild job that finds them taken waits, delayed by
 * REBUILD_SLOT_WAIT_MS, without counting an attempt.
 */
export const MAX_REBUILDS = CONCURRENCY - 2;
const REBUILD_SLOT_WAIT_MS = 3000;

@Injectable()
export class ProjectionsProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private queue?: Queue;
  private obligationsQueue?: Queue;
  private worker?: Worker;
  private readonly runner: ProjectionRunner;
  private readonly rebuilder: ProjectionRebuilder;
  /** Rebuild jobs this process is running (at most MAX_REBUILDS). */
  private rebuildsRunning = 0;
  /**
   * Aborted on shutdown: a running catch-up stops after its batch (the next start resumes from the
   * checkpoint); a running rebuild stops after its batch and is retried elsewhere.
   */
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
    this.worker = new Worker(QUEUES.projections, (job, token) => this.process(job, token), {
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
    await keepScheduled(
      this.queue,
      this.redis,
      PROJECTION_JOBS.rebuildCheck,
      REBUILD_CHECK_EVERY_MS,
    );
    await this.requestDueRebuilds('start-up');
  }

  /**
   * Version changed in code since the tables were built, or a rebuild left half-done: one job
   * rebuilds them all together (one read of the feed for the projections that read most of it),
   * leaving out those an unfinished rebuild job covers. At start-up, and every
   * REBUILD_CHECK_EVERY_MS for a rebuild whose job was lost (Redis lost its data, attempts ran
   * out): `periodic` leaves alone what a newer deploy's workers are building.
   */
  private async requestDueRebuilds(when: 'start-up' | 'periodic'): Promise<{ queued: number }> {
    const due = await this.rebuilder.due(PROJECTIONS, when);
    if (due.length === 0 || !this.queue) return { queued: 0 };
    const reason = due.every((d) => d.resume) ? 'resume' : 'version-changed';
    const { jobId, projections } = await requestRebuild(
      this.queue,
      due.map((d) => d.projection.name),
      reason,
    );
    if (projections.length > 0) {
      this.logger.log(`rebuild of ${projections.join(', ')} (${reason}): job ${jobId}`);
    }
    return { queued: projections.length };
  }

  /** A rebuild job, unless MAX_REBUILDS are running here: then it waits, delayed. */
  private async rebuildInSlot(
    job: Job<RebuildJobData>,
    token?: string,
  ): Promise<RebuildProgress[] | RebuildProgress> {
    if (this.rebuildsRunning >= MAX_REBUILDS) {
      // Back in a few seconds; moveToDelayed counts no attempt.
      await job.moveToDelayed(Date.now() + REBUILD_SLOT_WAIT_MS, token);
      throw new DelayedError();
    }
    this.rebuildsRunning += 1;
    try {
      return await this.rebuild(job);
    } finally {
      this.rebuildsRunning -= 1;
    }
  }

  private async rebuild(job: Job<RebuildJobData>): Promise<RebuildProgress[] | RebuildProgress> {
    let names = rebuildJobProjections(job.data);
    if (job.data.reason !== 'requested') {
      // A job queued just before a swap committed (or twice) finds nothing left to do.
      const due = await this.rebuilder.due(projectionsNamed(names), 'start-up');
      names = names.filter((name) => due.some((d) => d.projection.name === name));
      if (names.length === 0) return [];
    }
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

  async process(
    job: Job,
    token?: string,
  ): Promise<Record<string, number> | RebuildProgress | RebuildProgress[]> {
    if (job.name === PROJECTION_JOBS.rebuild) {
      return this.rebuildInSlot(job as Job<RebuildJobData>, token);
    }
    if (job.name === PROJECTION_JOBS.rebuildCheck) return this.requestDueRebuilds('periodic');
    if (
      job.name !== PROJECTION_JOBS.catchUp &&
      job.name !== PROJECTION_JOBS.sweep &&
      job.name !== PROJECTION_JOBS.followUp
    ) {
      throw new Error(`unknown job ${job.name}`);
    }
    const applied = await this.runner.catchUpAll(PROJECTIONS, { signal: this.stopping.signal });
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
