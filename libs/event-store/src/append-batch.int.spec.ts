import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { AppendBatcher } from './append-batcher';
import { EventIdConflict, StreamTypeMismatch, VersionConflict } from './errors';
import { EventStore } from './event-store';

describe('batched appends (group commit)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const stream = () => `batch-${randomUUID()}`;
  beforeAll(async () => {
    db = await createTestDatabase(20);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

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
});
