// The set-based append_batch answers and writes exactly what the one-by-one function it replaced
// did. Two databases from the same template, one migrated back to the one-by-one function, take
// the same random batches (conflicts, several appends to a stream, new and existing streams,
// replays, reused event ids, malformed appends, unsorted input) with the clock frozen, since
// recorded_at enters the hash chain; every answer and every row must come out the same.
import { randomUUID } from 'node:crypto';
import type { Client, PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';
import { SetBasedAppendBatch1763890000000 } from '../../../migrations/1763890000000-set-based-append-batch';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { EventStore } from './event-store';
import { encodeBody } from './hash-chain';

/** One element of append_batch's argument, as EventStore.appendBatch builds it (or malformed). */
interface RawAppend {
  streamId?: string;
  streamType?: string;
  expectedKind: string;
  expectedVersion: number | null;
  eventIds: string[];
  types: string[];
  schemaVersions: number[];
  data: unknown[];
  metadata: unknown[];
  occurredAt: Array<string | null>;
  bodyHashes: string[];
}

type Answer = { ok: boolean; rows?: Array<{ p: number }> } & Record<string, unknown>;

/** A small deterministic generator (mulberry32), so a failing seed can be run again. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

const STREAMS = ['order-a', 'order-b', 'order-c', 'order-d', 'order-e'];

function generateBatch(rng: ReturnType<typeof random>, seen: RawAppend[]): RawAppend[] {
  const batch: RawAppend[] = [];
  const size = 1 + rng.int(10);
  for (let i = 0; i < size; i++) {
    if (seen.length > 0 && rng.chance(0.03)) {
      batch.push(rng.pick(seen)); // a replay of an earlier append, ids and expectation included
      continue;
    }
    const streamType = rng.chance(0.08) ? 'other' : 'test';
    const count = 1 + rng.int(3);
    const events = Array.from({ length: count }, (_, n) => {
      const eventId =
        rng.chance(0.02) && seen.length > 0
          ? rng.pick(seen).eventIds[0] // an id some earlier append used
          : rng.chance(0.02) && batch.length > 0
            ? rng.pick(batch).eventIds[0] // an id an earlier append of this batch uses
            : randomUUID();
      const data = { n, note: rng.pick(['a', 'é', '和平', '']), amount: rng.int(1000) / 8 };
      const metadata = { actor: { keyId: 'k', role: 'monitor' }, i };
      const occurredAt = rng.chance(0.5) ? new Date(Date.UTC(2025, 9, 10, 9, rng.int(60))) : null;
      const type = rng.pick(['Opened', 'Moved']);
      const schemaVersion = 1 + rng.int(2);
      const body = encodeBody({ eventId, type, schemaVersion, data, metadata, occurredAt });
      return { eventId, type, body, schemaVersion, data, metadata, occurredAt };
    });
    const kind = rng.pick(['any', 'exact', 'exact', 'exact', 'no_stream', 'stream_exists']);
    const append: RawAppend = {
      streamId: rng.pick(STREAMS),
      streamType,
      expectedKind: kind,
      expectedVersion: kind === 'exact' ? (rng.chance(0.05) ? null : rng.int(6)) : 0,
      eventIds: events.map((e) => e.eventId),
      types: events.map((e) => e.type),
      schemaVersions: events.map((e) => e.schemaVersion),
      data: events.map((e) => e.data),
      metadata: events.map((e) => e.metadata),
      occurredAt: events.map((e) => (e.occurredAt ? e.occurredAt.toISOString() : null)),
      bodyHashes: events.map((e) => e.body.hash.toString('hex')),
    };
    // Now and then something append_batch refuses mid-append, for this append alone.
    const malformed = rng.int(150);
    if (malformed === 0) Object.assign(append, emptyAppend());
    if (malformed === 1) append.eventIds = ['not-a-uuid', ...append.eventIds.slice(1)];
    if (malformed === 2) append.schemaVersions = append.schemaVersions.map(() => 0);
    if (malformed === 3) delete append.streamId;
    if (malformed === 4) append.types = append.types.slice(1);
    if (malformed === 5) append.streamId = 'x'.repeat(3000);
    batch.push(append);
  }
  seen.push(...batch.filter((a) => a.eventIds.length > 0));
  // EventStore.appendBatch sorts by stream id; the function must cope with any order.
  if (rng.chance(0.8)) {
    batch.sort((x, y) => ((x.streamId ?? '') < (y.streamId ?? '') ? -1 : 1));
  }
  return batch;
}

function emptyAppend(): Partial<RawAppend> {
  return {
    eventIds: [],
    types: [],
    schemaVersions: [],
    data: [],
    metadata: [],
    occurredAt: [],
    bodyHashes: [],
  };
}

/** A session whose clock_timestamp() is frozen at a time the test sets. */
async function frozenSession(db: TestDatabase): Promise<PoolClient> {
  await db.pool.query(`
    CREATE SCHEMA IF NOT EXISTS frozen_clock;
    CREATE OR REPLACE FUNCTION frozen_clock.clock_timestamp() RETURNS timestamptz LANGUAGE sql STABLE
      AS $$ SELECT current_setting('frozen_clock.now')::timestamptz $$;
  `);
  const client = await db.pool.connect();
  await client.query('SET search_path = frozen_clock, pg_catalog, public');
  await client.query(`SET track_functions = 'pl'`);
  return client;
}

/** Runs one batch at `now`; says whether the one-by-one function settled it. */
async function runBatch(
  client: PoolClient | Client,
  batch: RawAppend[],
  now: string,
): Promise<{ answers: Answer[]; oneByOne: boolean }> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('frozen_clock.now', $1, true)`, [now]);
    const before = await oneByOneCalls(client);
    const { rows } = await client.query<{ append_batch: Answer }>(
      'SELECT append_batch FROM append_batch($1::jsonb)',
      [JSON.stringify(batch)],
    );
    const oneByOne = (await oneByOneCalls(client)) > before;
    await client.query('COMMIT');
    return { answers: rows.map((r) => r.append_batch), oneByOne };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/**
 * Calls of append_batch_one_by_one this session has not reported yet (track_functions = 'pl'):
 * they are reported at a transaction's end, so a difference within one transaction is exact.
 */
async function oneByOneCalls(client: PoolClient | Client): Promise<number> {
  const { rows } = await client.query<{ calls: string }>(
    `SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'append_batch_one_by_one'`,
  );
  return Number(rows[0]?.calls ?? 0);
}

/** Every row of the ledger, with positions replaced by their rank (gaps may differ). */
async function ledger(db: TestDatabase) {
  const events = await db.pool.query(
    `SELECT global_position, event_id, stream_id, stream_type, stream_version, event_type, schema_version,
            data, metadata, occurred_at, recorded_at, prev_hash, hash
       FROM events ORDER BY global_position`,
  );
  const rank = new Map(events.rows.map((r, i) => [Number(r.global_position), i + 1]));
  const streams = await db.pool.query(
    'SELECT stream_id, stream_type, version, created_at, updated_at FROM streams ORDER BY stream_id',
  );
  return {
    rank,
    events: events.rows.map((r) => ({
      ...r,
      global_position: rank.get(Number(r.global_position)),
    })),
    streams: streams.rows,
  };
}

describe('set-based append_batch against the one-by-one function it replaced', () => {
  let setBased: TestDatabase;
  let oneByOne: TestDatabase;
  beforeEach(async () => {
    setBased = await createTestDatabase(3);
    oneByOne = await createTestDatabase(3);
    // The migration's down restores the one-by-one function.
    await new SetBasedAppendBatch1763890000000().down({
      query: (sql: string) => oneByOne.pool.query(sql),
    } as unknown as QueryRunner);
  });
  afterEach(() => Promise.all([setBased.drop(), oneByOne.drop()]));

  it.each([1, 2, 3])(
    'gives the same answers and the same rows, byte for byte, for random batches (seed %i)',
    async (seed) => {
      const rng = random(seed);
      const seen: RawAppend[] = [];
      const a = await frozenSession(setBased);
      const b = await frozenSession(oneByOne);
      const answers: Array<[Answer[], Answer[]]> = [];
      let setBasedBatches = 0;
      try {
        for (let k = 0; k < 60; k++) {
          const batch = generateBatch(rng, seen);
          const now = new Date(Date.UTC(2026, 0, 1, 0, 0, k, rng.int(1000))).toISOString();
          const mine = await runBatch(a, batch, now);
          const theirs = await runBatch(b, batch, now);
          expect(theirs.oneByOne).toBe(false); // that database has the old function only
          if (!mine.oneByOne) setBasedBatches += 1;
          answers.push([mine.answers, theirs.answers]);
        }
      } finally {
        a.release();
        b.release();
      }
      const [mine, theirs] = [await ledger(setBased), await ledger(oneByOne)];
      // Positions by rank; a refused row's detail names its position and transaction id, which
      // differ between two databases (and between two runs of the same function).
      const ranked = (list: Answer[], rank: Map<number, number>) =>
        list.map((x) =>
          x.rows
            ? { ...x, rows: x.rows.map((r) => ({ ...r, p: rank.get(r.p) })) }
            : {
                ...x,
                detail: String(x.detail).replace(/^(Failing row contains \()\d+, \d+, /, '$1'),
              },
        );
      for (const [m, t] of answers) {
        expect(ranked(m, mine.rank)).toEqual(ranked(t, theirs.rank));
      }
      expect(mine.streams).toEqual(theirs.streams);
      expect(mine.events).toEqual(theirs.events);
      expect(mine.events.length).toBeGreaterThan(50);
      // Both paths of the new function were taken, the set-based one for most batches.
      expect(setBasedBatches).toBeGreaterThan(15);
      expect(setBasedBatches).toBeLessThan(60);
      expect((await new EventStore(setBased.pool).verify()).ok).toBe(true);
    },
  );
});
