import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { AppendBatcher } from './append-batcher';
import { EventIdConflict, StreamTypeMismatch, VersionConflict } from './errors';
import { EventStore } from './event-store';
import type { AppendResult, ExpectedVersion, NewEvent } from './types';

describe('batched appends (group commit)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const stream = () => `batch-${randomUUID()}`;
  beforeAll(async () => {
    db = await createTestDatabase(20);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  /** Calls of append_batch_one_by_one this session has not reported yet (track_functions = 'pl'). */
  const oneByOneCalls = async (client: PoolClient) =>
    Number(
      (
        await client.query<{ calls: string }>(
          `SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'append_batch_one_by_one'`,
        )
      ).rows[0]?.calls ?? 0,
    );
  type Request = {
    streamId: string;
    streamType: string;
    events: NewEvent[];
    expected: ExpectedVersion;
  };
  /** One appendBatch in its own transaction, and whether append_batch settled it one by one. */
  const settle = async (requests: Request[]) => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL track_functions = 'pl'`);
      const before = await oneByOneCalls(client);
      const settled = await new EventStore(client as unknown as Pool).appendBatch(requests);
      const oneByOne = (await oneByOneCalls(client)) > before;
      await client.query('COMMIT');
      return { settled, oneByOne };
    } finally {
      client.release();
    }
  };
  const value = (s: PromiseSettledResult<AppendResult>) =>
    (s as PromiseFulfilledResult<AppendResult>).value;
  const reason = (s: PromiseSettledResult<AppendResult>) => (s as PromiseRejectedResult).reason;
  const one = (type = 'A', data: unknown = {}): NewEvent[] => [{ type, data }];

  it('settles each append of a batch on its own: a conflict in one leaves the others written', async () => {
    const existing = stream();
    await store.append(existing, 'test', [{ type: 'A', data: {} }]);
    const taken = randomUUID();
    await store.append(stream(), 'test', [{ eventId: taken, type: 'A', data: {} }]);
    const fresh = stream();
    const other = stream();
    const settled = await store.appendBatch([
      {
        streamId: fresh,
        streamType: 'test',
        events: [
          { type: 'A', data: { n: 1 } },
          { type: 'B', data: { n: 2 } },
        ],
        expected: 'no_stream',
      },
      { streamId: existing, streamType: 'test', events: [{ type: 'A', data: {} }], expected: 5 },
      {
        streamId: other,
        streamType: 'test',
        events: [{ eventId: taken, type: 'A', data: {} }],
        expected: 'any',
      },
      {
        streamId: existing,
        streamType: 'other-type',
        events: [{ type: 'A', data: {} }],
        expected: 'any',
      },
      { streamId: stream(), streamType: 'test', events: [], expected: 'any' },
    ]);
    expect(settled[0]).toMatchObject({
      status: 'fulfilled',
      value: { streamVersion: 2, duplicate: false },
    });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: expect.any(VersionConflict) });
    expect((settled[1] as PromiseRejectedResult).reason.actual).toBe(1);
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: expect.any(EventIdConflict) });
    expect(settled[3]).toMatchObject({
      status: 'rejected',
      reason: expect.any(StreamTypeMismatch),
    });
    expect(settled[4].status).toBe('rejected');
    expect((await store.readStream(fresh)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await store.streamVersion(existing)).toBe(1);
    expect(await store.streamVersion(other)).toBe(0);
    expect((await store.verify()).ok).toBe(true);
  });

  it('answers a replayed batch append with its first result', async () => {
    const id = stream();
    const events = [{ eventId: randomUUID(), type: 'A', data: {} }];
    const first = await store.append(id, 'test', events, 'no_stream');
    const [again] = await store.appendBatch([
      { streamId: id, streamType: 'test', events, expected: 'no_stream' },
      {
        streamId: stream(),
        streamType: 'test',
        events: [{ type: 'B', data: {} }],
        expected: 'any',
      },
    ]);
    expect(again).toMatchObject({
      status: 'fulfilled',
      value: { duplicate: true, events: first.events },
    });
  });

  it('through the batcher: 200 concurrent appends to 50 streams, exactly one winner per expected version, chains intact', async () => {
    const batcher = new AppendBatcher(store, { maxInFlight: 2 });
    const streams = Array.from({ length: 50 }, stream);
    const results = await Promise.allSettled(
      streams.flatMap((s) =>
        Array.from({ length: 4 }, (_, i) =>
          batcher.append(s, 'test', [{ type: 'Race', data: { i } }], 0),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflict);
    for (const s of streams) expect(await store.streamVersion(s)).toBe(1);
    expect((await store.verify()).ok).toBe(true);
  });
  describe('settled set-based, in one statement per step', () => {
    it('chains two appends to one stream in one batch, the second onto the first', async () => {
      const id = stream();
      const { settled, oneByOne } = await settle([
        { streamId: id, streamType: 'test', events: one('A', { n: 1 }), expected: 'no_stream' },
        {
          streamId: id,
          streamType: 'test',
          events: [
            { type: 'B', data: { n: 2 } },
            { type: 'C', data: { n: 3 } },
          ],
          expected: 1,
        },
      ]);
      expect(oneByOne).toBe(false);
      expect(value(settled[0]).events.map((e) => e.streamVersion)).toEqual([1]);
      expect(value(settled[1]).events.map((e) => e.streamVersion)).toEqual([2, 3]);
      const events = await store.readStream(id);
      expect(events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(events[1].prevHash).toBe(events[0].hash);
      expect(events[2].prevHash).toBe(events[1].hash);
      expect(events.map((e) => e.hash)).toEqual([
        ...value(settled[0]).events.map((e) => e.hash),
        ...value(settled[1]).events.map((e) => e.hash),
      ]);
      expect(await store.streamVersion(id)).toBe(3);
      expect((await store.verify({ streamId: id })).ok).toBe(true);
    });

    it('fails a conflicting append alone; the next append to its stream sees the stream as the conflict left it', async () => {
      const busy = stream();
      await store.append(busy, 'test', one(), 'no_stream');
      const quiet = stream();
      const { settled, oneByOne } = await settle([
        { streamId: busy, streamType: 'test', events: one('A', { i: 1 }), expected: 1 },
        { streamId: busy, streamType: 'test', events: one('A', { i: 2 }), expected: 1 },
        { streamId: busy, streamType: 'test', events: one('A', { i: 3 }), expected: 2 },
        { streamId: busy, streamType: 'test', events: one('A', { i: 4 }), expected: 'no_stream' },
        { streamId: quiet, streamType: 'test', events: one('A', { i: 5 }), expected: 'any' },
      ]);
      expect(oneByOne).toBe(false);
      expect(value(settled[0]).streamVersion).toBe(2);
      expect(reason(settled[1])).toBeInstanceOf(VersionConflict);
      expect(reason(settled[1]).actual).toBe(2);
      expect(value(settled[2]).streamVersion).toBe(3);
      expect(reason(settled[3]).actual).toBe(3);
      expect(value(settled[4]).streamVersion).toBe(1);
      expect((await store.readStream(busy)).map((e) => e.data)).toEqual([{}, { i: 1 }, { i: 3 }]);
      expect((await store.verify({ streamId: busy })).ok).toBe(true);
    });

    it('creates a new stream and extends an existing one, stamping both heads with the batch time', async () => {
      const existing = stream();
      await store.append(existing, 'test', one(), 'no_stream');
      const before = await db.pool.query('SELECT * FROM streams WHERE stream_id = $1', [existing]);
      const fresh = stream();
      const { settled, oneByOne } = await settle([
        { streamId: existing, streamType: 'test', events: one(), expected: 'stream_exists' },
        { streamId: fresh, streamType: 'test', events: one(), expected: 'no_stream' },
        { streamId: stream(), streamType: 'test', events: one(), expected: 'stream_exists' },
      ]);
      expect(oneByOne).toBe(false);
      expect(reason(settled[2])).toBeInstanceOf(VersionConflict);
      const { rows } = await db.pool.query(
        'SELECT * FROM streams WHERE stream_id = ANY ($1) ORDER BY version DESC',
        [[existing, fresh]],
      );
      const recordedAt = value(settled[0]).recordedAt;
      expect(rows).toEqual([
        { ...before.rows[0], version: 2, updated_at: recordedAt },
        {
          stream_id: fresh,
          stream_type: 'test',
          version: 1,
          created_at: recordedAt,
          updated_at: recordedAt,
        },
      ]);
      expect(value(settled[1]).recordedAt).toEqual(recordedAt);
      expect((await store.verify()).ok).toBe(true);
    });

    it("gives a stream created inside the batch its first append's type: a later append of another type is refused", async () => {
      const id = stream();
      const { settled, oneByOne } = await settle([
        { streamId: id, streamType: 'test', events: one(), expected: 'any' },
        { streamId: id, streamType: 'other-type', events: one(), expected: 'any' },
        { streamId: id, streamType: 'test', events: one(), expected: 'any' },
      ]);
      expect(oneByOne).toBe(false);
      expect(reason(settled[1])).toBeInstanceOf(StreamTypeMismatch);
      expect(value(settled[2]).streamVersion).toBe(2);
    });
  });

  describe('settled one by one, exactly as before', () => {
    // (A replay whose expectation no longer holds is a version conflict, settled set-based; the
    // store then finds the first result, as in 'answers a replayed batch append' above.)
    it('answers a replay inside a batch with its first result and writes the others', async () => {
      const id = stream();
      const events = [{ eventId: randomUUID(), type: 'A', data: {} }];
      const first = await store.append(id, 'test', events, 'any');
      const other = stream();
      const { settled, oneByOne } = await settle([
        { streamId: id, streamType: 'test', events, expected: 'any' },
        { streamId: other, streamType: 'test', events: one(), expected: 'no_stream' },
      ]);
      expect(oneByOne).toBe(true);
      expect(value(settled[0])).toEqual({ ...first, duplicate: true });
      expect(value(settled[1]).streamVersion).toBe(1);
      expect(await store.streamVersion(id)).toBe(1);
    });

    it('gives an event id used twice in one batch to the first append and refuses the second', async () => {
      const shared = randomUUID();
      const [a, b] = [stream(), stream()].sort();
      const { settled, oneByOne } = await settle([
        {
          streamId: a,
          streamType: 'test',
          events: [{ eventId: shared, type: 'A', data: {} }],
          expected: 'any',
        },
        {
          streamId: b,
          streamType: 'test',
          events: [{ eventId: shared, type: 'A', data: {} }],
          expected: 'any',
        },
      ]);
      expect(oneByOne).toBe(true);
      expect(value(settled[0]).streamVersion).toBe(1);
      expect(reason(settled[1])).toBeInstanceOf(EventIdConflict);
      expect(await store.streamVersion(b)).toBe(0);
    });
  });

  it('batches racing to create the same streams: one winner per stream, the rest conflicts, chains intact', async () => {
    const streams = Array.from({ length: 12 }, stream);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, racer) =>
        store.appendBatch(
          streams.map((s) => ({
            streamId: s,
            streamType: 'test',
            events: one('Create', { racer }),
            expected: 'no_stream' as const,
          })),
        ),
      ),
    );
    streams.forEach((s, i) => {
      const outcomes = results.map((settled) => settled[i]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(VersionConflict);
    });
    for (const s of streams) expect(await store.streamVersion(s)).toBe(1);
    expect((await store.verify()).ok).toBe(true);
  });
});
