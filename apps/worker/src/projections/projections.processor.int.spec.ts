import type { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { EventStore } from '@app/event-store';
import {
  PROJECTION_JOBS,
  ProjectionRunner,
  wakeProjections,
  getObligation,
  nextStatusCheckAt,
} from '@app/projections';
import type { AppConfig } from '@app/shared';
import { QUEUES } from '@app/shared';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { queuePrefix, TEST_REDIS_URL } from '../../../../test/support/test-environment';
import {
  appendEvents,
  gazaOctober2025,
} from '../../../../libs/projections/src/testing/projection-fixtures';
import { ObligationsProcessor } from '../obligations/obligations.processor';
import { ProjectionsProcessor } from './projections.processor';

describe('projection and obligation queues', () => {
  let db: TestDatabase;
  let redis: Redis;
  let projections: ProjectionsProcessor;
  let obligations: ObligationsProcessor;
  let clock = new Date('2025-10-13T08:30:00.000Z');
  const prefix = `${queuePrefix()}_worker_${process.pid}`;
  // The settings these processors read: the queue prefix; every other one takes its default.
  const config = {
    get: (key: string) => (key === 'QUEUE_PREFIX' ? prefix : undefined),
  } as unknown as ConfigService<AppConfig, true>;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    projections = new ProjectionsProcessor(
      db.pool,
      new EventStore(db.pool),
      redis,
      config,
      () => clock,
    );
    obligations = new ObligationsProcessor(db.pool, redis, config, () => clock);
    await projections.onModuleInit();
    await obligations.onModuleInit();
  });
  afterAll(async () => {
    await projections.onApplicationShutdown();
    await obligations.onApplicationShutdown();
    redis.disconnect();
    await db.drop();
  });

  it('a wake-up after an append projects the events, and the status check follows the clock', async () => {
    await appendEvents(
      new EventStore(db.pool),
      gazaOctober2025().filter(
        (e) => e.type === 'AgreementRegistered' || e.type === 'ObligationRegistered',
      ),
    );
    const queue = new Queue(QUEUES.projections, { connection: redis, prefix });
    try {
      expect(await wakeProjections(queue)).toBe(true);
      for (let i = 0; i < 500 && !(await getObligation(db.pool, 'hostages-remains')); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await getObligation(db.pool, 'hostages-remains'))?.status).toBe('pending');
      expect((await nextStatusCheckAt(db.pool))?.toISOString()).toBe('2025-10-13T09:00:00.001Z');
      clock = new Date('2025-10-13T09:30:00.000Z');
      // The sweep (about every second) recomputes the overdue rows.
      for (let i = 0; i < 500; i++) {
        if ((await getObligation(db.pool, 'hostages-remains'))?.status === 'overdue') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await getObligation(db.pool, 'hostages-remains'))?.status).toBe('overdue');
    } finally {
      await queue.close();
    }
  });

  it('a wake-up does not throw when Redis fails or does not answer', async () => {
    // A Queue on a Redis that is down either rejects or waits for the connection to return.
    const failing = { add: () => Promise.reject(new Error('ECONNREFUSED')) };
    const hanging = { add: () => new Promise<never>(() => undefined) };
    expect(await wakeProjections(failing as unknown as Queue)).toBe(false);
    expect(await wakeProjections(hanging as unknown as Queue, 50)).toBe(false);
    expect(PROJECTION_JOBS.catchUp).toBe('catch-up');
  });

  it('a deploy that changed two projections rebuilds them in one job, together', async () => {
    await db.pool.query(
      `UPDATE projection_checkpoints SET version = 0 WHERE name IN ('violations', 'timeline')`,
    );
    // A worker starting with the new code (this test's processor keeps running beside it).
    const started = new ProjectionsProcessor(
      db.pool,
      new EventStore(db.pool),
      redis,
      config,
      () => clock,
    );
    const queue = new Queue(QUEUES.projections, { connection: redis, prefix });
    try {
      await started.onModuleInit();
      const rebuilds = (await queue.getJobs(['waiting', 'active', 'completed', 'delayed'])).filter(
        (j) => j.name === PROJECTION_JOBS.rebuild,
      );
      expect(rebuilds.map((j) => j.data)).toEqual([
        {
          projection: 'violations',
          projections: ['violations', 'timeline'],
          reason: 'version-changed',
        },
      ]);
      // The swap commits before BullMQ marks the job completed: wait for both.
      const jobId = rebuilds[0].id ?? '';
      for (let i = 0; i < 1500; i++) {
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM projection_checkpoints WHERE version = 0 OR state <> 'live'`,
        );
        const state = await queue.getJobState(jobId);
        if (rows[0].n === 0 && (state === 'completed' || state === 'failed')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const job = await queue.getJob(jobId);
      expect([await job?.getState(), job?.failedReason]).toEqual(['completed', undefined]);
      expect(
        job?.returnvalue.map((p: { name: string; phase: string }) => [p.name, p.phase]),
      ).toEqual([
        ['violations', 'swapped'],
        ['timeline', 'swapped'],
      ]);
    } finally {
      await started.onApplicationShutdown();
      await queue.close();
    }
  });

  it('a shutdown stops the catch-up in hand after its batch instead of draining the feed', async () => {
    const stopping = new ProjectionsProcessor(
      db.pool,
      new EventStore(db.pool),
      redis,
      config,
      () => clock,
    );
    const { runner } = stopping as unknown as { runner: ProjectionRunner };
    const catchUpAll = jest.spyOn(runner, 'catchUpAll');
    await stopping.onApplicationShutdown();
    const applied = await stopping.process({ name: PROJECTION_JOBS.catchUp } as Job);
    // The runner's own spec shows an aborted catch-up commits its batch and stops.
    expect(catchUpAll.mock.calls[0][1]?.signal?.aborted).toBe(true);
    expect(Object.values(applied).every((n) => n === 0)).toBe(true);
  });
});
