// Rebuild jobs on the worker's queue: however many are queued, live catch-up keeps its slots; a
// rebuild whose job was lost is queued again by the periodic check, once.
import type { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import type { Pool, PoolClient } from 'pg';
import { EventStore } from '@app/event-store';
import {
  getAgreement,
  PROJECTION_JOBS,
  PROJECTIONS,
  ProjectionRebuilder,
  projectionsNamed,
  projectionStatus,
  REBUILD_CHECK_EVERY_MS,
  requestRebuild,
  wakeProjections,
} from '@app/projections';
import type { RebuildProgress } from '@app/projections';
import type { AppConfig } from '@app/shared';
import { QUEUES } from '@app/shared';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { queuePrefix, TEST_REDIS_URL } from '../../../../test/support/test-environment';
import {
  activity,
  AgreementPlan,
  agreementSetup,
  appendInTransaction,
  prng,
  StreamAppend,
} from '../../../../test/bench/bench-events';
import { compareProjections } from '../../../../libs/projections/src/rebuild/compare-projections';
import {
  catchUpFully,
  waitForVisibleFeed,
} from '../../../../libs/projections/src/testing/projection-fixtures';
import { ProjectionRunner } from '../../../../libs/projections/src/runner/projection-runner';
import { MAX_REBUILDS, ProjectionsProcessor } from './projections.processor';
import { until } from '../../../../test/support/until';

const NOW = new Date('2026-06-01T00:00:00.000Z');

async function write(pool: Pool, batches: Iterable<StreamAppend[]>): Promise<void> {
  const store = new EventStore(pool);
  const client: PoolClient = await pool.connect();
  try {
    for (const batch of batches) await appendInTransaction(store, client, batch);
  } finally {
    client.release();
  }
}

/**
 * Holds every rebuild the processor starts until `open()`: a rebuild job keeps its worker slot
 * meanwhile, as a long one does.
 */
function holdRebuilds(processor: ProjectionsProcessor) {
  const { rebuilder } = processor as unknown as { rebuilder: ProjectionRebuilder };
  const rebuildTogether = rebuilder.rebuildTogether.bind(rebuilder);
  let open = () => undefined as void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held = { running: 0, most: 0, started: [] as string[][], open: () => open() };
  const spy = jest
    .spyOn(rebuilder, 'rebuildTogether')
    .mockImplementation(async (projections, options): Promise<RebuildProgress[]> => {
      held.running += 1;
      held.most = Math.max(held.most, held.running);
      held.started.push(projections.map((p) => p.name));
      try {
        await gate;
        return await rebuildTogether(projections, options);
      } finally {
        held.running -= 1;
      }
    });
  return { held, restore: () => spy.mockRestore() };
}

describe('rebuild jobs on the projections queue', () => {
  let db: TestDatabase;
  let redis: Redis;
  let processor: ProjectionsProcessor;
  let queue: Queue;
  const runner = () => new ProjectionRunner(db.pool, { now: () => NOW });
  const prefix = `${queuePrefix()}_rebuild_jobs_${process.pid}`;
  const config = {
    get: (key: string) => {
      if (key === 'QUEUE_PREFIX') return prefix;
      if (key === 'REBUILD_BATCH_SIZE') return 100;
      return undefined;
    },
  } as unknown as ConfigService<AppConfig, true>;

  const rebuildJobs = async (states: Parameters<Queue['getJobs']>[0]) =>
    (await queue.getJobs(states)).filter((j) => j.name === PROJECTION_JOBS.rebuild);
  const finished = (id: string) =>
    until(`job ${id} finished`, async () => {
      const state = await queue.getJobState(id);
      return (state === 'completed' || state === 'failed') && (await queue.getJob(id));
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const r = prng(5);
    const plans: AgreementPlan[] = [];
    const batches: StreamAppend[][] = [];
    for (let i = 0; i < 3; i++) {
      const { plan, appends } = agreementSetup(i, r, 'rebuild-jobs');
      plans.push(plan);
      batches.push(appends);
    }
    for (let n = 0; n < 300; n += 5) {
      batches.push(Array.from({ length: 5 }, (_, k) => activity(plans[(n + k) % 3], r, n + k)));
    }
    await write(db.pool, batches);
    await catchUpFully(runner(), db.pool, PROJECTIONS);
    processor = new ProjectionsProcessor(
      db.pool,
      new EventStore(db.pool),
      redis,
      config,
      () => NOW,
    );
    await processor.onModuleInit();
    queue = new Queue(QUEUES.projections, { connection: redis, prefix });
  });
  afterAll(async () => {
    await processor?.onApplicationShutdown();
    await queue?.obliterate({ force: true });
    await queue?.close();
    redis?.disconnect();
    await db?.drop();
  });

  it('more rebuilds than the cap: catch-up keeps running, and every rebuild finishes', async () => {
    const { held, restore } = holdRebuilds(processor);
    try {
      const names = ['obligations', 'violations', 'timeline', 'casualty-tallies'];
      expect(names.length).toBeGreaterThan(MAX_REBUILDS);
      const ids: string[] = [];
      for (const name of names) ids.push((await requestRebuild(queue, name, 'requested')).jobId);
      await until('the cap reached', async () => held.running === MAX_REBUILDS);
      // The others are put back, delayed, without a failed attempt.
      await until('the other rebuilds delayed', async () => {
        const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
        return states.filter((s) => s === 'delayed').length === names.length - MAX_REBUILDS;
      });

      // While the rebuilds hold their slots, a new agreement is projected.
      const { appends } = agreementSetup(9, prng(9), 'during-rebuilds');
      await write(db.pool, [appends]);
      await waitForVisibleFeed(db.pool);
      expect(await wakeProjections(queue)).toBe(true);
      await until(
        'the new agreement projected',
        () => getAgreement(db.pool, 'during-rebuilds-agreement-9'),
        10_000,
      );
      expect(held.running).toBe(MAX_REBUILDS);

      held.open();
      for (const id of ids) {
        const job = await finished(id);
        expect([await job.getState(), job.failedReason]).toEqual(['completed', undefined]);
        expect((job.returnvalue as RebuildProgress).phase).toBe('swapped');
        // One attempt: being put back for want of a slot did not count as one.
        expect(job.attemptsMade).toBe(1);
      }
      expect(held.most).toBe(MAX_REBUILDS);
      expect(held.started.flat().sort()).toEqual([...names].sort());
    } finally {
      held.open();
      restore();
    }
    await catchUpFully(runner(), db.pool, PROJECTIONS);
    expect((await projectionStatus(db.pool)).every((s) => s.state === 'live')).toBe(true);
    expect((await compareProjections(db.pool, { now: NOW })).differences).toEqual([]);
  });

  it('a rebuild whose job was lost is queued again by the periodic check, once', async () => {
    expect((await queue.getJobScheduler(PROJECTION_JOBS.rebuildCheck))?.every).toBe(
      REBUILD_CHECK_EVERY_MS,
    );
    // A rebuild left half-done with no job: Redis lost it, or its attempts ran out.
    const [violations] = projectionsNamed(['violations']);
    const stopped = await new ProjectionRebuilder(db.pool, { now: () => NOW }).rebuild(violations, {
      batchSize: 100,
      maxBatches: 2,
    });
    expect(stopped.phase).toBe('building');
    const state = async () =>
      (await projectionStatus(db.pool)).find((s) => s.name === 'violations')?.state;
    expect(await state()).toBe('rebuilding');

    const { held, restore } = holdRebuilds(processor);
    try {
      // What the job scheduler adds every REBUILD_CHECK_EVERY_MS, twice: the second finds the
      // first one's rebuild running and queues nothing.
      for (let tick = 0; tick < 2; tick++) {
        const check: Job = await queue.add(PROJECTION_JOBS.rebuildCheck, {});
        const done = await finished(check.id ?? '');
        expect([await done.getState(), done.returnvalue]).toEqual([
          'completed',
          { queued: tick === 0 ? 1 : 0 },
        ]);
        if (tick === 0) await until('the rebuild started', async () => held.running === 1);
      }
      const unfinished = await rebuildJobs(['active', 'waiting', 'delayed', 'prioritized']);
      expect(unfinished.map((j) => j.data)).toEqual([
        { projection: 'violations', reason: 'resume' },
      ]);
      held.open();
      const job = await finished(unfinished[0].id ?? '');
      expect([await job.getState(), job.failedReason]).toEqual(['completed', undefined]);
      const progress = job.returnvalue as RebuildProgress;
      expect([progress.phase, progress.eventsRead]).toEqual(['swapped', progress.eventsTotal]);
      expect(await state()).toBe('live');

      // A late duplicate (queued as the swap committed) finds nothing left to do.
      const late = await requestRebuild(queue, 'violations', 'resume');
      const lateJob = await finished(late.jobId);
      expect([await lateJob.getState(), lateJob.returnvalue]).toEqual(['completed', []]);
      expect(held.started).toEqual([['violations']]);
    } finally {
      held.open();
      restore();
    }
    await catchUpFully(runner(), db.pool, PROJECTIONS);
    expect((await compareProjections(db.pool, { now: NOW })).differences).toEqual([]);
  });
});
