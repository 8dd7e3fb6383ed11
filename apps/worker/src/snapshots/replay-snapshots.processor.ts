// Thin: the `snapshots` queue's repeating job gives every agreement that has gained SNAPSHOT_EVERY
// events since its last replay snapshot a new one (ReplaySnapshotter in libs/projections). The
// schedule lives in Redis so any number of worker replicas share one cadence; a database lock
// keeps the runs one at a time.
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { REPLAY_SNAPSHOT_JOB, ReplaySnapshotter, SnapshotRunResult } from '@app/projections';
import { AppConfig, PG_POOL, QUEUES, REDIS } from '@app/shared';
import { ScheduledQueue, startScheduledQueue } from '../scheduling/scheduled-queue';

@Injectable()
export class ReplaySnapshotsProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('snapshots');
  private scheduled?: ScheduledQueue;
  private readonly snapshotter: ReplaySnapshotter | null;
  /** Aborted on shutdown: a run stops after the snapshot in hand. */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    const every = config.get('SNAPSHOT_EVERY', { infer: true });
    this.snapshotter = every > 0 ? new ReplaySnapshotter(pool, { every }) : null;
  }

  async onModuleInit(): Promise<void> {
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    if (!this.snapshotter) {
      // SNAPSHOT_EVERY=0: no snapshots, and no schedule left behind by an earlier start.
      const queue = new Queue(QUEUES.snapshots, { connection: this.redis, prefix });
      await queue.removeJobScheduler(REPLAY_SNAPSHOT_JOB);
      await queue.close();
      return;
    }
    this.scheduled = await startScheduledQueue({
      name: QUEUES.snapshots,
      job: REPLAY_SNAPSHOT_JOB,
      everyMs: this.config.get('SNAPSHOT_INTERVAL_MS', { infer: true }),
      redis: this.redis,
      prefix,
      logger: this.logger,
      process: (job) => this.process(job),
    });
  }

  async process(job: Pick<Job, 'name'>): Promise<SnapshotRunResult> {
    if (job.name !== REPLAY_SNAPSHOT_JOB) throw new Error(`unknown job ${job.name}`);
    if (!this.snapshotter) throw new Error('replay snapshots are off (SNAPSHOT_EVERY=0)');
    const result = await this.snapshotter.run({ signal: this.stopping.signal });
    if (result.created || result.deleted) {
      this.logger.log(
        `replay snapshots: ${result.created} written, ${result.deleted} deleted ` +
          `(${result.eventsCounted} new events counted)`,
      );
    }
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    // Closing waits for the run in hand, which stops after its current snapshot.
    await this.scheduled?.close();
  }
}
