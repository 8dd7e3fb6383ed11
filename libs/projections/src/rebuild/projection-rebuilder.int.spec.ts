// Rebuilds into shadow tables while writes and live catch-up go on; a rebuild stopped midway
// resumes from its shadow checkpoint; the swapped-in tables equal a clean build of the feed.
import { EventStore } from '@app/event-store';
import { Client, Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { ADMIN_URL } from '../../../../test/support/test-environment';
import {
  activity,
  AgreementPlan,
  agreementSetup,
  appendInTransaction,
  prng,
  StreamAppend,
} from '../../../../test/bench/bench-events';
import { PROJECTIONS } from '../projections';
import { getCompliance } from '../read/compliance.read';
import { ProjectionRunner } from '../runner/projection-runner';
import { projectionStatus } from '../runner/projection-status';
import { catchUpFully, waitForVisibleFeed } from '../testing/projection-fixtures';
import { compareProjections } from './compare-projections';
import { ProjectionRebuilder, RebuildInProgress, RebuildProgress } from './projection-rebuilder';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const clock = () => NOW;

/** A few agreements and their activity, appended a transaction at a time. */
function* workload(seed: number, agreements: number, appends: number): Generator<StreamAppend[]> {
  const r = prng(seed);
  const plans: AgreementPlan[] = [];
  for (let i = 0; i < agreements; i++) {
    const { plan, appends: setup } = agreementSetup(i, r, `rebuild-${seed}`);
    plans.push(plan);
    yield setup;
  }
  for (let n = 0; n < appends; n += 5) {
    yield Array.from({ length: 5 }, (_, k) => activity(plans[(n + k) % plans.length], r, n + k));
  }
}

async function write(pool: Pool, batches: Iterable<StreamAppend[]>): Promise<number> {
  const store = new EventStore(pool);
  const client = await pool.connect();
  let events = 0;
  try {
    for (const batch of batches) events += await appendInTransaction(store, client, batch);
  } finally {
    client.release();
  }
  return events;
}

async function indexNames(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE tablename LIKE 'proj\\_%' ORDER BY indexname`,
  );
  return rows.map((r) => r.indexname);
}

describe('ProjectionRebuilder', () => {
  let db: TestDatabase;
  let runner: ProjectionRunner;
  let rebuilder: ProjectionRebuilder;

  beforeAll(async () => {
    db = await createTestDatabase(20);
    runner = new ProjectionRunner(db.pool, { now: clock });
    rebuilder = new ProjectionRebuilder(db.pool, { now: clock });
    await write(db.pool, workload(1, 4, 400));
    await catchUpFully(runner, db.pool, PROJECTIONS);
  });
  afterAll(() => db.drop());

  it('rebuilds every projection while writes and live catch-up continue, and equals a clean build', async () => {
    const indexesBefore = await indexNames(db.pool);
    let writing = true;
    const writer = (async () => {
      let seed = 100;
      while (writing) await write(db.pool, workload(seed++, 1, 20));
    })();
    const catchingUp = (async () => {
      while (writing) {
        await runner.catchUpAll(PROJECTIONS);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      for (const projection of PROJECTIONS) {
        const seen: RebuildProgress[] = [];
        // The feed query only returns the types a projection handles: cut those into several
        // batches, however few they are.
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM events WHERE event_type = ANY ($1::text[])',
          [projection.handledEventTypes],
        );
        const done = await rebuilder.rebuild(projection, {
          batchSize: Math.max(1, Math.min(300, Math.floor(rows[0].n / 3))),
          onProgress: (p) => void seen.push(p),
        });
        expect(done.phase).toBe('swapped');
        expect(seen.filter((p) => p.phase === 'building').length).toBeGreaterThan(1);
        expect(seen.at(-1)?.percent).toBe(100);
      }
    } finally {
      writing = false;
      await Promise.all([writer, catchingUp]);
    }
    await catchUpFully(runner, db.pool, PROJECTIONS);
    const comparison = await compareProjections(db.pool, { now: NOW });
    expect(comparison.differences).toEqual([]);
    expect(comparison.ok).toBe(true);
    expect(comparison.projectionsCompared).toBe(PROJECTIONS.length);
    expect(comparison.rowsCompared).toBeGreaterThan(1000);
    expect(await indexNames(db.pool)).toEqual(indexesBefore);
    const states = await projectionStatus(db.pool);
    expect(states.every((s) => s.state === 'live')).toBe(true);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('a rebuild stopped midway leaves the live tables serving, and resumes from its checkpoint', async () => {
    const violations = PROJECTIONS.find((p) => p.name === 'violations');
    if (!violations) throw new Error('no violations projection');
    const before = await getCompliance(db.pool, 'rebuild-1-agreement-0', NOW);
    const stopped = await rebuilder.rebuild(violations, { batchSize: 200, maxBatches: 3 });
    expect(stopped.phase).toBe('building');
    expect(stopped.eventsRead).toBe(600);
    expect((await projectionStatus(db.pool)).find((s) => s.name === 'violations')?.state).toBe(
      'rebuilding',
    );
    // Reads still answer from the live tables, and live catch-up goes on.
    expect(await getCompliance(db.pool, 'rebuild-1-agreement-0', NOW)).toEqual(before);
    await write(db.pool, workload(999, 1, 10));
    await catchUpFully(runner, db.pool, PROJECTIONS);

    const resumed: RebuildProgress[] = [];
    const done = await rebuilder.rebuild(violations, {
      batchSize: 200,
      onProgress: (p) => void resumed.push(p),
    });
    expect(resumed[0].eventsRead).toBe(800);
    expect(done.phase).toBe('swapped');
    await catchUpFully(runner, db.pool, PROJECTIONS);
    expect((await compareProjections(db.pool, { now: NOW })).differences).toEqual([]);
  });

  it('leaves a projection of few event types at the head of the feed, not at its own last event', async () => {
    const agreements = PROJECTIONS.find((p) => p.name === 'agreements');
    if (!agreements) throw new Error('no agreements projection');
    // An agreement, then a long run of events of other types after its last one.
    await write(db.pool, workload(77, 1, 40));
    await waitForVisibleFeed(db.pool);
    expect((await rebuilder.rebuild(agreements, { batchSize: 2 })).phase).toBe('swapped');
    const { rows } = await db.pool.query<{ head: string }>(
      `SELECT global_position::text AS head FROM events
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    // Without live catch-up: the rebuild itself passed the events of other types.
    const status = (await projectionStatus(db.pool)).find((s) => s.name === 'agreements');
    expect(status?.position).toBe(Number(rows[0].head));
    expect(status?.lagEvents).toBe(0);
  });

  it('refuses a second rebuild of the same projection while one runs', async () => {
    const timeline = PROJECTIONS.find((p) => p.name === 'timeline');
    if (!timeline) throw new Error('no timeline projection');
    const holder = await db.pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('projection-rebuild:timeline'))");
      await expect(rebuilder.rebuild(timeline)).rejects.toBeInstanceOf(RebuildInProgress);
    } finally {
      await holder.query("SELECT pg_advisory_unlock(hashtext('projection-rebuild:timeline'))");
      holder.release();
    }
  });

  it('rebuilds together from one read of the feed, each resuming from its own checkpoint', async () => {
    const byName = (name: string) => {
      const found = PROJECTIONS.find((p) => p.name === name);
      if (!found) throw new Error(`no ${name} projection`);
      return found;
    };
    const [violations, timeline] = [byName('violations'), byName('timeline')];
    /** Rows the feed queries of a rebuild returned. */
    const rowsRead = async (work: (r: ProjectionRebuilder) => Promise<unknown>) => {
      let rows = 0;
      const store = new (class extends EventStore {
        override async readFeedRowsToHead(...args: Parameters<EventStore['readFeedRowsToHead']>) {
          const page = await super.readFeedRowsToHead(...args);
          rows += page.rows.length;
          return page;
        }
      })(db.pool);
      await work(new ProjectionRebuilder(db.pool, { store, now: clock }));
      return rows;
    };
    const apart = await rowsRead(async (r) => {
      await r.rebuild(violations, { batchSize: 500 });
      await r.rebuild(timeline, { batchSize: 500 });
    });

    // Violations stopped midway; the timeline rebuilt with it from the start.
    await rebuilder.rebuild(violations, { batchSize: 200, maxBatches: 3 });
    await write(db.pool, workload(4242, 1, 10));
    const seen: RebuildProgress[] = [];
    let done: RebuildProgress[] = [];
    const together = await rowsRead(async (r) => {
      done = await r.rebuildTogether([violations, timeline], {
        batchSize: 500,
        onProgress: (p) => void seen.push(p),
      });
    });
    expect(done.map((p) => [p.name, p.phase])).toEqual([
      ['violations', 'swapped'],
      ['timeline', 'swapped'],
    ]);
    // Violations resumed (starting over, its first batch would count at most 500).
    expect(seen.find((p) => p.name === 'violations')?.eventsRead).toBeGreaterThanOrEqual(600);
    expect(seen.find((p) => p.name === 'timeline')?.eventsRead).toBeLessThanOrEqual(500);
    // Nearly every event is one of the timeline's, and most are the violations': read once, that
    // is little more than the timeline read alone.
    expect(together).toBeLessThan(apart * 0.6);
    await catchUpFully(runner, db.pool, PROJECTIONS);
    expect((await compareProjections(db.pool, { now: NOW })).differences).toEqual([]);
  });

  it('a rebuild together that finds one projection locked takes none of them', async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('projection-rebuild:timeline'))");
      await expect(rebuilder.rebuildTogether(PROJECTIONS)).rejects.toBeInstanceOf(
        RebuildInProgress,
      );
      expect((await projectionStatus(db.pool)).every((s) => s.state === 'live')).toBe(true);
    } finally {
      await holder.query("SELECT pg_advisory_unlock(hashtext('projection-rebuild:timeline'))");
      holder.release();
    }
    // The locks it did take were let go.
    const agreements = PROJECTIONS[0];
    expect((await rebuilder.rebuild(agreements)).phase).toBe('swapped');
  });

  it('a PostgreSQL restart mid-rebuild fails the rebuild, not the process, and leaks no connection', async () => {
    // A pool with none of createPool's guards: the rebuilder must protect its own clients.
    const pool = new Pool({
      connectionString: db.url,
      max: 10,
      application_name: 'rebuild-under-restart',
    });
    pool.on('error', () => undefined);
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => void uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const own = new ProjectionRebuilder(pool, { now: clock });
      let restarted = false;
      let terminated = 0;
      const failed = await own
        .rebuildTogether(PROJECTIONS, {
          batchSize: 100,
          onProgress: async () => {
            if (restarted) return;
            restarted = true;
            // What a restart does to every session of the database: the rebuild's connections
            // sit idle between two queries (this member's) or run one (the others').
            const { rows } = await admin.query<{ app: string }>(
              `SELECT application_name AS app, pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = $1 AND pid <> pg_backend_pid()`,
              [db.name],
            );
            terminated = rows.filter((r) => r.app === 'rebuild-under-restart').length;
            // Let the sockets' end and error events arrive before the next query.
            await new Promise((r) => setTimeout(r, 200));
          },
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      // A connection per projection, and the reader.
      expect(terminated).toBe(PROJECTIONS.length + 1);
      expect(failed).toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 200));
      expect(uncaught).toEqual([]);
      // Every client went back to the pool (the broken ones destroyed).
      expect(pool.totalCount - pool.idleCount).toBe(0);
      // The next attempt resumes and finishes, on the same pool.
      const done = await own.rebuildTogether(PROJECTIONS, { batchSize: 1000 });
      expect(done.every((p) => p.phase === 'swapped')).toBe(true);
      expect(pool.totalCount - pool.idleCount).toBe(0);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await pool.end();
    }
    await catchUpFully(runner, db.pool, PROJECTIONS);
    expect((await compareProjections(db.pool, { now: NOW })).differences).toEqual([]);
    expect((await projectionStatus(db.pool)).every((s) => s.state === 'live')).toBe(true);
  });

  it('compare-projections names a row that differs from the events', async () => {
    await db.pool.query(
      `UPDATE proj_violations SET killed = killed + 1
        WHERE violation_id = (SELECT min(violation_id) FROM proj_violations)`,
    );
    await db.pool.query(
      `DELETE FROM proj_timeline WHERE seq = (SELECT max(seq) FROM proj_timeline)`,
    );
    const comparison = await compareProjections(db.pool, { now: NOW });
    expect(comparison.ok).toBe(false);
    expect(comparison.differences.map((d) => [d.table, d.kind])).toEqual([
      ['proj_violations', 'different'],
      ['proj_timeline', 'missing'],
    ]);
  });
});
