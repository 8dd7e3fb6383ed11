import type { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { EventStore } from '@app/event-store';
import { listSnapshots, REPLAY_SNAPSHOT_JOB } from '@app/projections';
import type { AppConfig } from '@app/shared';
import { QUEUES } from '@app/shared';
import * as fx from '@app/testing';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { queuePrefix, TEST_REDIS_URL } from '../../../../test/support/test-environment';
import {
  appendEvents,
  gazaOctober2025,
  waitForVisibleFeed,
} from '../../../../libs/projections/src/testing/projection-fixtures';
import { ReplaySnapshotsProcessor } from './replay-snapshots.processor';

describe('the snapshots queue', () => {
  let db: TestDatabase;
  let redis: Redis;
  const prefix = `${queuePrefix()}_snapshots_${process.pid}`;
  const settings: Partial<Record<keyof AppConfig, unknown>> = {
    QUEUE_PREFIX: prefix,
    SNAPSHOT_EVERY: 5,
    SNAPSHOT_INTERVAL_MS: 3_600_000,
  };
  const config = {
    get: (key: keyof AppConfig) => settings[key],
  } as unknown as ConfigService<AppConfig, true>;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis.disconnect();
    await db.drop();
  });

  it('schedules the job on the snapshots queue', async () => {
    const processor = new ReplaySnapshotsProcessor(db.pool, redis, config);
    const queue = new Queue(QUEUES.snapshots, { connection: redis, prefix });
    try {
      await processor.onModuleInit();
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: REPLAY_SNAPSHOT_JOB, every: 3_600_000 }),
      ]);
    } finally {
      await processor.onApplicationShutdown();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('each run snapshots the agreements that gained SNAPSHOT_EVERY events, one on another', async () => {
    // Not started: the runs below are the test's, not the schedule's.
    const processor = new ReplaySnapshotsProcessor(db.pool, redis, config);
    const events = gazaOctober2025();
    await appendEvents(new EventStore(db.pool), events.slice(0, 12));
    await waitForVisibleFeed(db.pool);
    expect(await processor.process({ name: REPLAY_SNAPSHOT_JOB })).toMatchObject({
      ran: true,
      eventsCounted: 12,
      created: 2,
    });
    await appendEvents(new EventStore(db.pool), events.slice(12));
    await waitForVisibleFeed(db.pool);
    // The third is built on the second: only the events since are folded.
    expect(await processor.process({ name: REPLAY_SNAPSHOT_JOB })).toMatchObject({
      eventsCounted: events.length - 12,
      created: Math.floor(events.length / 5) - 2,
    });
    const snapshots = await listSnapshots(db.pool, fx.OCT_2025.agreementId);
    expect(snapshots.map((s) => s.eventsCount)).toEqual(
      Array.from({ length: Math.floor(events.length / 5) }, (_, i) => (i + 1) * 5),
    );
    expect(snapshots[2].baseSnapshotId).toBe(snapshots[1].snapshotId);
    await expect(processor.process({ name: 'something-else' })).rejects.toThrow(/unknown job/);
  });

  it('with SNAPSHOT_EVERY=0 there is no schedule and no snapshot', async () => {
    const off = new ReplaySnapshotsProcessor(db.pool, redis, {
      get: (key: keyof AppConfig) => (key === 'SNAPSHOT_EVERY' ? 0 : settings[key]),
    } as unknown as ConfigService<AppConfig, true>);
    const queue = new Queue(QUEUES.snapshots, { connection: redis, prefix });
    try {
      await queue.upsertJobScheduler(REPLAY_SNAPSHOT_JOB, { every: 3_600_000 });
      await off.onModuleInit();
      expect(await queue.getJobSchedulers()).toEqual([]);
      await expect(off.process({ name: REPLAY_SNAPSHOT_JOB })).rejects.toThrow(/off/);
    } finally {
      await off.onApplicationShutdown();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
