// recorded_at never decreases along a stream's versions, so the events recorded up to any time
// are a prefix of each stream (as-of reads: readStream's recordedUntil, the replay snapshots).
// An append used to read the clock before it waited for the stream's lock; the writer it waited
// for could then commit a later version with a later time (migration 1763920000000).
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';
import { EventStore1763780000000 } from '../../../migrations/1763780000000-event-store';
import { SetBasedAppendBatch1763890000000 } from '../../../migrations/1763890000000-set-based-append-batch';
import { RecordedAtAfterLock1763920000000 } from '../../../migrations/1763920000000-recorded-at-after-lock';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { EventStore } from './event-store';
import type { AppendResult, NewEvent } from './types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const one = (data: unknown = {}): NewEvent[] => [{ type: 'A', data }];

describe('recorded_at along a stream (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(24);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  /** A connection of its own, and its backend's pid. */
  const session = async () => {
    const client = await db.pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { client, pid: rows[0].pid };
  };

  /** Resolves once that backend waits for a lock (another transaction's row lock). */
  const blocked = async (pid: number) => {
    for (let i = 0; i < 500; i++) {
      const { rows } = await db.pool.query<{ wait: string | null }>(
        'SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
        [pid],
      );
      if (rows[0]?.wait === 'Lock') return;
      await sleep(10);
    }
    throw new Error(`backend ${pid} never waited for a lock`);
  };

  /** Streams among these whose recorded_at decreases from one version to the next. */
  const decreasing = async (streams: string[]) =>
    (
      await db.pool.query<{ stream_id: string; stream_version: number }>(
        `SELECT stream_id, stream_version FROM (
           SELECT stream_id, stream_version,
                  recorded_at < lag(recorded_at) OVER (PARTITION BY stream_id ORDER BY stream_version) AS down
             FROM events WHERE stream_id = ANY ($1)) x
          WHERE down ORDER BY stream_id, stream_version`,
        [streams],
      )
    ).rows;

  /** recorded_at non-decreasing by version, and every as-of read of the stream a prefix of it. */
  const expectOrdered = async (streamId: string) => {
    const events = await store.readStream(streamId);
    const times = events.map((e) => e.recordedAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    for (const e of events) {
      const asOf = (await store.readStream(streamId, { recordedUntil: e.recordedAt })).map(
        (r) => r.streamVersion,
      );
      expect(asOf).toEqual(Array.from({ length: asOf.length }, (_, i) => i + 1));
      expect(asOf.length).toBeGreaterThanOrEqual(e.streamVersion);
    }
    expect((await store.verify({ streamId })).ok).toBe(true);
    return events;
  };

  /** Calls of append_batch_one_by_one this session has not reported yet (track_functions = 'pl'). */
  const oneByOneCalls = async (client: PoolClient) =>
    Number(
      (
        await client.query<{ calls: string }>(
          `SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'append_batch_one_by_one'`,
        )
      ).rows[0]?.calls ?? 0,
    );

  it('append_batch waiting for a stream lock: a single append to its second stream commits meanwhile; the batch writes after it, not before', async () => {
    const [a, s] = [`order-a-${randomUUID()}`, `order-s-${randomUUID()}`];
    await store.append(a, 'test', one(), 'no_stream');
    await store.append(s, 'test', one(), 'no_stream');

    // T3 holds stream a's lock (an append of its own, not yet committed).
    const holder = await session();
    const batcher = await session();
    try {
      await holder.client.query('BEGIN');
      await store.append(a, 'test', one({ by: 'T3' }), 1, { client: holder.client });

      // The batch (a, then s) starts and waits for a's lock.
      await batcher.client.query('BEGIN');
      await batcher.client.query(`SET LOCAL track_functions = 'pl'`);
      const before = await oneByOneCalls(batcher.client);
      const batch = new EventStore(batcher.client as unknown as Pool).appendBatch([
        { streamId: a, streamType: 'test', events: one({ by: 'batch' }), expected: 'any' },
        { streamId: s, streamType: 'test', events: one({ by: 'batch' }), expected: 'any' },
      ]);
      await blocked(batcher.pid);

      // Meanwhile, some milliseconds later, a single append commits s v2.
      await sleep(30);
      const single = await store.append(s, 'test', one({ by: 'single' }), 1);
      expect(single.streamVersion).toBe(2);

      await holder.client.query('COMMIT');
      const settled = await batch;
      const oneByOne = (await oneByOneCalls(batcher.client)) > before;
      await batcher.client.query('COMMIT');
      expect(oneByOne).toBe(false); // the set-based path
      const [onA, onS] = settled.map((r) => (r as PromiseFulfilledResult<AppendResult>).value);
      expect([onA.streamVersion, onS.streamVersion]).toEqual([3, 3]);

      // One recorded_at for the batch, not before s v2's.
      expect(onS.recordedAt).toEqual(onA.recordedAt);
      expect(onS.recordedAt.getTime()).toBeGreaterThanOrEqual(single.recordedAt.getTime());
      const events = await expectOrdered(s);
      expect(events.map((e) => e.recordedAt)).toEqual([
        events[0].recordedAt,
        single.recordedAt,
        onS.recordedAt,
      ]);
      expect(
        (await store.readStream(s, { recordedUntil: onS.recordedAt })).map((e) => e.streamVersion),
      ).toEqual([1, 2, 3]);
      await expectOrdered(a);
    } finally {
      holder.client.release();
      batcher.client.release();
    }
  });

  it.each(['append', 'appendBatch'] as const)(
    '%s waiting for a stream lock whose holder then appends again: it writes after the holder, not before',
    async (how) => {
      const s = `order-${randomUUID()}`;
      await store.append(s, 'test', one(), 'no_stream');
      const holder = await session();
      const writer = await session();
      try {
        // T3 appends v2 and keeps the lock.
        await holder.client.query('BEGIN');
        await store.append(s, 'test', one({ v: 2 }), 1, { client: holder.client });

        // The writer starts and waits for the lock.
        const writing =
          how === 'append'
            ? store.append(s, 'test', one({ v: 4 }), 'any', { client: writer.client })
            : new EventStore(writer.client as unknown as Pool)
                .appendBatch([{ streamId: s, streamType: 'test', events: one(), expected: 'any' }])
                .then(([r]) => (r as PromiseFulfilledResult<AppendResult>).value);
        await blocked(writer.pid);

        // Some milliseconds later T3 appends v3, then commits.
        await sleep(30);
        const third = await store.append(s, 'test', one({ v: 3 }), 2, { client: holder.client });
        await holder.client.query('COMMIT');

        const fourth = await writing;
        expect(fourth.streamVersion).toBe(4);
        expect(fourth.recordedAt.getTime()).toBeGreaterThanOrEqual(third.recordedAt.getTime());
        const events = await expectOrdered(s);
        expect(events[3].recordedAt).toEqual(fourth.recordedAt);
      } finally {
        holder.client.release();
        writer.client.release();
      }
    },
  );

  it.each(['single', 'batched'] as const)(
    '16 writers x 200 %s appends over 3 streams: no stream has recorded_at decrease with version',
    async (how) => {
      const streams = [0, 1, 2].map((i) => `hot-${i}-${randomUUID()}`);
      let seed = 7;
      const pick = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % 3;
      };
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; i < 200; i++) {
            if (how === 'single') {
              await store.append(streams[pick()], 'test', one({ w, i }), 'any');
            } else {
              // One to three appends, over one or more streams (a stream twice, now and then).
              const size = 1 + (pick() % 3);
              const settled = await store.appendBatch(
                Array.from({ length: size }, (_, k) => ({
                  streamId: streams[pick()],
                  streamType: 'test',
                  events: one({ w, i, k }),
                  expected: 'any' as const,
                })),
              );
              for (const r of settled) expect(r.status).toBe('fulfilled');
            }
          }
        }),
      );
      expect(await decreasing(streams)).toEqual([]);
      const versions = await Promise.all(streams.map((s) => store.streamVersion(s)));
      if (how === 'single') expect(versions.reduce((x, y) => x + y)).toBe(16 * 200);
      else expect(versions.reduce((x, y) => x + y)).toBeGreaterThanOrEqual(16 * 200);
      // The heads hold their last event's recorded_at, which the next append starts from.
      const { rows } = await db.pool.query(
        `SELECT s.stream_id FROM streams s
           JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version
          WHERE s.stream_id = ANY ($1) AND s.updated_at <> e.recorded_at`,
        [streams],
      );
      expect(rows).toEqual([]);
      for (const s of streams) expect((await store.verify({ streamId: s })).ok).toBe(true);
    },
  );
});

describe('migration 1763920000000', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(() => db.drop());

  /** A QueryRunner for the migrations: answers like TypeORM's (the rows of a SELECT). */
  const runner = () =>
    ({
      query: async (sql: string, params?: unknown[]) => (await db.pool.query(sql, params)).rows,
    }) as unknown as QueryRunner;
  const bodies = async () =>
    Object.fromEntries(
      (
        await db.pool.query<{ proname: string; prosrc: string }>(
          `SELECT proname, prosrc FROM pg_proc
            WHERE proname IN ('append_events', 'append_batch', 'append_batch_one_by_one')`,
        )
      ).rows.map((r) => [r.proname, r.prosrc]),
    ) as Record<string, string>;
  /** The body of the function a migration's up creates, as it sends it. */
  const createdBody = async (
    migration: { up(q: QueryRunner): Promise<void> },
    name: string,
  ): Promise<string> => {
    const sent: string[] = [];
    await migration.up({ query: async (sql: string) => void sent.push(sql) } as QueryRunner);
    const sql = sent.find((x) => x.includes(`CREATE FUNCTION ${name}(`));
    if (!sql) throw new Error(`no CREATE FUNCTION ${name}`);
    return sql.slice(sql.indexOf('$$') + 2, sql.lastIndexOf('$$'));
  };

  it('down restores the previous definitions exactly; up again gives the current ones; a second up refuses', async () => {
    const current = await bodies();
    expect(current.append_events).not.toContain('v_recorded timestamptz := date_trunc');
    expect(current.append_batch).not.toContain('v_recorded timestamptz := date_trunc');

    await new RecordedAtAfterLock1763920000000().down(runner());
    const previous = await bodies();
    expect(previous.append_events).toBe(
      await createdBody(new EventStore1763780000000(), 'append_events'),
    );
    expect(previous.append_batch).toBe(
      await createdBody(new SetBasedAppendBatch1763890000000(), 'append_batch'),
    );
    expect(previous.append_batch_one_by_one).toBe(current.append_batch_one_by_one);

    await new RecordedAtAfterLock1763920000000().up(runner());
    expect(await bodies()).toEqual(current);

    // Its anchors are found exactly once, or nothing is changed.
    await expect(new RecordedAtAfterLock1763920000000().up(runner())).rejects.toThrow(
      /append_batch/,
    );
    expect(await bodies()).toEqual(current);
  });
});
