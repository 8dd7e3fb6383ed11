// Tamper evidence: with the immutability triggers switched off (as an attacker with superuser
// rights could), alterations and deletions are still named by verify.
import { randomUUID } from 'node:crypto';
import { tamperWithLedger as tamper } from '../../../test/support/tamper';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { EventStore } from './event-store';
import { bodyHash, chainHash } from './hash-chain';

describe('integrity verification', () => {
  let db: TestDatabase;
  let store: EventStore;
  const streams = { a: '', b: '', c: '', d: '' };

  beforeEach(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.pool);
    for (const key of Object.keys(streams) as Array<keyof typeof streams>) {
      streams[key] = `${key}-${randomUUID()}`;
      await store.append(
        streams[key],
        'test',
        [1, 2, 3].map((n) => ({ type: 'N', data: { n, key } })),
        'no_stream',
      );
    }
    await store.sealCommitted();
  });
  afterEach(() => db.drop());

  it('finds nothing wrong in an untouched ledger', async () => {
    const report = await store.verify();
    expect(report).toEqual({
      ok: true,
      streamsChecked: 4,
      eventsChecked: 12,
      sealsChecked: 1,
      problems: [],
    });
  });

  it('names the stream and version of an event whose data was altered', async () => {
    await tamper(
      db.pool,
      `UPDATE events SET data = '{"n": 200, "key": "b"}' WHERE stream_id = $1 AND stream_version = 2`,
      [streams.b],
    );
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'hash_mismatch',
        streamId: streams.b,
        streamVersion: 2,
        position: expect.any(Number),
      }),
    );
    expect((await store.verify({ streamId: streams.a })).ok).toBe(true);
  });

  it('catches an alteration whose author also recomputed the hash chain, through the seals', async () => {
    const [, second, third] = await store.readStream(streams.c);
    const data = { n: 999, key: 'c' };
    const newHash = chainHash(
      Buffer.from(second.prevHash, 'hex'),
      { streamId: streams.c, streamType: 'test', streamVersion: 2, recordedAt: second.recordedAt },
      bodyHash({
        eventId: second.eventId,
        type: 'N',
        schemaVersion: 1,
        data,
        metadata: second.metadata,
        occurredAt: null,
      }),
    );
    const thirdHash = chainHash(
      newHash,
      { streamId: streams.c, streamType: 'test', streamVersion: 3, recordedAt: third.recordedAt },
      bodyHash({
        eventId: third.eventId,
        type: 'N',
        schemaVersion: 1,
        data: third.data,
        metadata: third.metadata,
        occurredAt: null,
      }),
    );
    await tamper(db.pool, `UPDATE events SET data = $2, hash = $3 WHERE event_id = $1`, [
      second.eventId,
      data,
      newHash,
    ]);
    await tamper(db.pool, `UPDATE events SET prev_hash = $2, hash = $3 WHERE event_id = $1`, [
      third.eventId,
      newHash,
      thirdHash,
    ]);
    const report = await store.verify();
    expect(report.problems.filter((p) => p.streamId === streams.c)).toEqual([]);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'seal_mismatch', sealNo: 1 }),
    );
  });

  it('catches a deleted sealed event in the chain and in the seal', async () => {
    await tamper(db.pool, 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', [
      streams.a,
    ]);
    const report = await store.verify();
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'version_gap', streamId: streams.a, streamVersion: 3 }),
        expect.objectContaining({ kind: 'chain_break', streamId: streams.a, streamVersion: 3 }),
        expect.objectContaining({ kind: 'missing_events', sealNo: 1 }),
      ]),
    );
  });

  it('catches a whole stream removed with its head, through the seals', async () => {
    await tamper(db.pool, 'DELETE FROM events WHERE stream_id = $1', [streams.d]);
    await db.pool.query('DELETE FROM streams WHERE stream_id = $1', [streams.d]);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'missing_events',
        sealNo: 1,
        detail: expect.stringContaining('3 of them are gone'),
      }),
    ]);
  });

  it('catches the events of a stream removed while its head stays', async () => {
    await tamper(db.pool, 'DELETE FROM events WHERE stream_id = $1', [streams.d]);
    const report = await store.verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'missing_events', streamId: streams.d }),
    );
  });

  it('truncating the tail of a stream is seen against its head', async () => {
    await tamper(db.pool, 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 3', [
      streams.b,
    ]);
    const report = await store.verify({ streamId: streams.b });
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'missing_events', streamId: streams.b, streamVersion: 3 }),
    ]);
  });
});

describe('ledger seals', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  it('seals only the committed prefix, chains seals, and writes nothing when nothing is new', async () => {
    expect(await store.sealCommitted()).toEqual([]);
    await store.append('s-1', 'test', [
      { type: 'A', data: {} },
      { type: 'B', data: {} },
    ]);
    const open = await db.pool.connect();
    await open.query('BEGIN');
    await store.append('s-2', 'test', [{ type: 'Late', data: {} }], 'any', { client: open });
    const [first] = await store.sealCommitted();
    expect(first).toMatchObject({ sealNo: 1, eventCount: 2, prevSealHash: '0'.repeat(64) });
    expect(await store.sealCommitted()).toEqual([]); // the open transaction's event waits
    await open.query('COMMIT');
    open.release();
    await store.append('s-1', 'test', [{ type: 'C', data: {} }]);
    const [second] = await store.sealCommitted();
    expect(second).toMatchObject({ sealNo: 2, eventCount: 2, prevSealHash: first.sealHash });
    expect((await store.listSeals()).map((s) => s.sealNo)).toEqual([2, 1]);
    expect(await store.verify()).toMatchObject({ ok: true, sealsChecked: 2, eventsChecked: 4 });
  });
});
