// Live catch-up leaves a projection whose checkpoint another version of it wrote alone until its
// rebuild swaps in, and a catch-up told to stop (a shutdown) stops after the batch in hand.
import { EventStore } from '@app/event-store';
import { violationReported } from '@app/testing';
import type { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../projections';
import { compareProjections } from '../rebuild/compare-projections';
import { ProjectionRebuilder } from '../rebuild/projection-rebuilder';
import {
  appendEvents,
  catchUpFully,
  dumpProjections,
  gazaOctober2025,
  resetProjections,
  waitForVisibleFeed,
} from '../testing/projection-fixtures';
import { timelineProjection } from '../timeline/timeline.projection';
import { violationsProjection } from '../violations/violations.projection';
import { ProjectionRunner } from './projection-runner';
import { projectionStatus } from './projection-status';

const NOW = new Date('2025-10-30T12:00:00.000Z');

function reports(from: number, count: number) {
  return Array.from({ length: count }, (_, i) =>
    violationReported({
      violationId: `runner-report-${from + i}`,
      occurredAt: `2025-10-2${i % 9}T10:00:00.000Z`,
      allegedPartyId: i % 2 ? 'hamas' : 'israel',
    }),
  );
}

async function checkpoint(pool: Pool, name: string) {
  const { rows } = await pool.query<{ version: number; position: string; xmin: string }>(
    `SELECT version, global_position::text AS position, xmin::text
       FROM projection_checkpoints WHERE name = $1`,
    [name],
  );
  return rows[0];
}

/** The rows of a projection's own tables. */
async function tablesOf(pool: Pool, projection: Projection) {
  const dump = await dumpProjections(pool);
  return projection.tables.map((t) => [t, dump[t]]);
}

describe('ProjectionRunner', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
    runner = new ProjectionRunner(db.pool, { now: () => NOW });
  });
  afterAll(() => db.drop());

  it('leaves a projection whose checkpoint has another version alone until its rebuild swaps in', async () => {
    await resetProjections(db.pool);
    await appendEvents(store, [...gazaOctober2025(), ...reports(0, 3)]);
    await catchUpFully(runner, db.pool, PROJECTIONS);

    // A deploy changed the violations projection: its tables are what the old version built.
    await db.pool.query(
      `UPDATE projection_checkpoints SET version = version - 1 WHERE name = 'violations'`,
    );
    const before = await tablesOf(db.pool, violationsProjection);
    const stale = await checkpoint(db.pool, 'violations');
    await appendEvents(store, reports(3, 4));
    await waitForVisibleFeed(db.pool);

    const applied = await runner.catchUpAll(PROJECTIONS);
    expect(applied.violations).toBe(0);
    expect(applied.timeline).toBe(4);
    // Its tables and checkpoint are untouched (the checkpoint row not even rewritten).
    expect(await tablesOf(db.pool, violationsProjection)).toEqual(before);
    expect(await checkpoint(db.pool, 'violations')).toEqual(stale);
    // The status says so, and the helper that waits for catch-up does not wait for it.
    await catchUpFully(runner, db.pool, PROJECTIONS);
    const status = await projectionStatus(db.pool);
    expect(status.find((s) => s.name === 'violations')).toMatchObject({
      state: 'rebuilding',
      version: violationsProjection.version - 1,
      lagEvents: 4,
    });
    for (const other of status.filter((s) => s.name !== 'violations')) {
      expect(other).toMatchObject({ state: 'live', lagEvents: 0 });
    }

    const done = await new ProjectionRebuilder(db.pool, { now: () => NOW }).rebuild(
      violationsProjection,
      { batchSize: 5 },
    );
    expect(done.phase).toBe('swapped');
    expect((await checkpoint(db.pool, 'violations')).version).toBe(violationsProjection.version);
    expect((await projectionStatus(db.pool)).find((s) => s.name === 'violations')).toMatchObject({
      state: 'live',
      version: violationsProjection.version,
      lagEvents: 0,
    });

    // Live again: it catches up with what comes next.
    await appendEvents(store, reports(7, 2));
    await waitForVisibleFeed(db.pool);
    expect((await runner.catchUpAll(PROJECTIONS)).violations).toBe(2);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM proj_violations WHERE violation_id LIKE 'runner-report-%'`,
    );
    expect(rows[0].n).toBe(9);
    expect((await compareProjections(db.pool, { now: NOW })).differences).toEqual([]);
  });

  it('a fresh checkpoint takes the version in code and runs live', async () => {
    await resetProjections(db.pool);
    await waitForVisibleFeed(db.pool);
    expect((await runner.catchUp(violationsProjection)) > 0).toBe(true);
    expect((await checkpoint(db.pool, 'violations')).version).toBe(violationsProjection.version);
  });

  it('stopped after the first batch, the checkpoint stands at its end and the rest follows once', async () => {
    await resetProjections(db.pool);
    await waitForVisibleFeed(db.pool);
    const { rows: feed } = await db.pool.query<{ position: string }>(
      `SELECT global_position::text AS position FROM events
        ORDER BY transaction_id, global_position`,
    );
    const batchSize = 5;
    expect(feed.length).toBeGreaterThan(batchSize * 3);

    const stopping = new AbortController();
    const seen: string[] = [];
    const spy: Projection = {
      ...timelineProjection,
      async apply(events, client, now) {
        seen.push(...events.map((e) => e.position.toString()));
        await timelineProjection.apply(events, client, now);
        // A shutdown arrives while the batch is being applied: it still commits.
        stopping.abort();
      },
    };
    const first = await runner.catchUpAll([spy], { batchSize, signal: stopping.signal });
    expect(first.timeline).toBe(batchSize);
    expect((await checkpoint(db.pool, 'timeline')).position).toBe(feed[batchSize - 1].position);
    const { rows: written } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM proj_timeline',
    );
    expect(written[0].n).toBe(batchSize);

    // An aborted signal stops before any batch.
    expect(await runner.catchUp(spy, { batchSize, signal: stopping.signal })).toBe(0);
    expect(seen).toHaveLength(batchSize);

    // The next start resumes from the checkpoint: every event once, in feed order.
    const rest = await runner.catchUp(spy, { batchSize });
    expect(rest).toBe(feed.length - batchSize);
    expect(seen).toEqual(feed.map((r) => r.position));
    expect((await checkpoint(db.pool, 'timeline')).position).toBe(feed.at(-1)?.position);
    expect(
      (await compareProjections(db.pool, { now: NOW, projections: [timelineProjection] }))
        .differences,
    ).toEqual([]);
  });
});
