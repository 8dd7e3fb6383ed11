import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { EventStore } from './event-store';
import { EventIdConflict, VersionConflict } from './errors';
import { UpcasterRegistry } from './upcasters';
import { NotCanonicalizable } from './canonical-json';

describe('EventStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const stream = () => `test-${randomUUID()}`;
  const countEvents = async () =>
    Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);

  beforeAll(async () => {
    db = await createTestDatabase(40);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());

  describe('append', () => {
    it('creates a stream and numbers its events from 1 in one atomic batch', async () => {
      const id = stream();
      const r = await store.append(
        id,
        'test',
        [
          { type: 'A', data: { n: 1 } },
          { type: 'B', data: { n: 2 } },
        ],
        'no_stream',
      );
      expect(r.streamVersion).toBe(2);
      expect(r.events.map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(r.lastPosition).toBe(r.firstPosition + 1);
      expect(r.duplicate).toBe(false);
      const events = await store.readStream(id);
      expect(events.map((e) => [e.type, e.streamVersion, e.data])).toEqual([
        ['A', 1, { n: 1 }],
        ['B', 2, { n: 2 }],
      ]);
      expect(events[1].prevHash).toBe(events[0].hash);
      expect(events[0].prevHash).toBe('0'.repeat(64));
    });

    it('checks every kind of expected version', async () => {
      const id = stream();
      await expect(
        store.append(id, 'test', [{ type: 'A', data: {} }], 'stream_exists'),
      ).rejects.toBeInstanceOf(VersionConflict);
      await expect(store.append(id, 'test', [{ type: 'A', data: {} }], 3)).rejects.toMatchObject({
        actual: 0,
      });
      await store.append(id, 'test', [{ type: 'A', data: {} }], 0);
      await expect(
        store.append(id, 'test', [{ type: 'A', data: {} }], 'no_stream'),
      ).rejects.toMatchObject({
        name: 'VersionConflict',
        actual: 1,
      });
      await expect(store.append(id, 'test', [{ type: 'A', data: {} }], 0)).rejects.toBeInstanceOf(
        VersionConflict,
      );
      await store.append(id, 'test', [{ type: 'A', data: {} }], 1);
      await store.append(id, 'test', [{ type: 'A', data: {} }], 'stream_exists');
      const r = await store.append(id, 'test', [{ type: 'A', data: {} }], 'any');
      expect(r.streamVersion).toBe(4);
      await expect(store.append(id, 'test', [{ type: 'A', data: {} }], 2)).rejects.toMatchObject({
        actual: 4,
      });
      expect(await store.streamVersion(id)).toBe(4);
    });

    it('returns the original result for a re-append of the same event ids and writes nothing', async () => {
      const id = stream();
      const events = [
        { eventId: randomUUID(), type: 'A', data: { x: 1 } },
        { eventId: randomUUID(), type: 'B', data: { x: 2 } },
      ];
      const first = await store.append(id, 'test', events, 'no_stream');
      const before = await countEvents();
      const again = await store.append(id, 'test', events, 'no_stream');
      expect(await countEvents()).toBe(before);
      expect(again.duplicate).toBe(true);
      expect(again.events).toEqual(first.events);
      expect(again.streamVersion).toBe(first.streamVersion);
    });

    it('refuses a batch that reuses an event id of another append, writing none of it', async () => {
      const taken = randomUUID();
      await store.append(stream(), 'test', [{ eventId: taken, type: 'A', data: {} }]);
      const id = stream();
      const before = await countEvents();
      await expect(
        store.append(id, 'test', [
          { type: 'A', data: {} },
          { eventId: taken, type: 'B', data: {} },
        ]),
      ).rejects.toBeInstanceOf(EventIdConflict);
      expect(await countEvents()).toBe(before);
      expect(await store.streamVersion(id)).toBe(0);
    });

    it('refuses data PostgreSQL cannot store faithfully, before writing', async () => {
      await expect(
        store.append(stream(), 'test', [{ type: 'A', data: { s: 'a\u0000b' } }]),
      ).rejects.toBeInstanceOf(NotCanonicalizable);
      await expect(
        store.append(stream(), 'test', [{ type: 'A', data: { s: '\ud800' } }]),
      ).rejects.toBeInstanceOf(NotCanonicalizable);
    });

    it('lets exactly one of 32 concurrent appends with the same expected version win, leaving no gap', async () => {
      const id = stream();
      await store.append(id, 'test', [{ type: 'Seed', data: {} }], 'no_stream');
      const results = await Promise.allSettled(
        Array.from({ length: 32 }, (_, i) =>
          store.append(id, 'test', [{ type: 'Race', data: { i } }], 1),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(31);
      for (const l of lost) expect(l.reason).toBeInstanceOf(VersionConflict);
      const events = await store.readStream(id);
      expect(events.map((e) => e.streamVersion)).toEqual([1, 2]);
      expect((await store.verify({ streamId: id })).ok).toBe(true);
    });

    it('lets exactly one of 32 concurrent creators of a new stream win', async () => {
      const id = stream();
      const results = await Promise.allSettled(
        Array.from({ length: 32 }, (_, i) =>
          store.append(id, 'test', [{ type: 'Create', data: { i } }], 'no_stream'),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.readStream(id)).map((e) => e.streamVersion)).toEqual([1]);
    });
  });

  describe('readStream', () => {
    it('reads a version range and what was recorded until a time', async () => {
      const id = stream();
      await store.append(
        id,
        'test',
        [1, 2, 3].map((n) => ({ type: 'N', data: { n } })),
      );
      await new Promise((r) => setTimeout(r, 20));
      const cut = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await store.append(id, 'test', [{ type: 'N', data: { n: 4 } }]);
      expect(
        (await store.readStream(id, { fromVersion: 2, toVersion: 3 })).map((e) => e.streamVersion),
      ).toEqual([2, 3]);
      expect(
        (await store.readStream(id, { recordedUntil: cut })).map((e) => e.streamVersion),
      ).toEqual([1, 2, 3]);
      expect(await store.readStream(`test-${randomUUID()}`)).toEqual([]);
    });
  });

  describe('hash chain', () => {
    it('verifies from what PostgreSQL gives back, whatever the JSON looks like', async () => {
      const id = stream();
      const awkward = [
        { b: 1, a: 2, nested: { z: [], y: { x: null, w: [1, { v: 'é' }] } } },
        {
          numbers: [
            1.0,
            1e21,
            1e-7,
            -0,
            0.1 + 0.2,
            123456789012345680000,
            5e-324,
            1.7976931348623157e308,
          ],
        },
        {
          unicode: 'שלום سلام 和平 👩🏽‍⚕️ e\u0301 \u2028 "quoted" \\ back',
          ключ: 'значение',
          '': 'empty key',
        },
        { emptyArray: [], emptyObject: {}, nullValue: null, bools: [true, false] },
        { deep: { a: { b: { c: { d: { e: { f: [[[]]] } } } } } } },
      ];
      await store.append(
        id,
        'test',
        awkward.map((data, i) => ({
          type: 'Awkward',
          data,
          metadata: { i, when: new Date(0) },
          occurredAt: '2025-10-10T09:00:00.123456Z',
        })),
      );
      const report = await store.verify({ streamId: id });
      expect(report).toMatchObject({ ok: true, eventsChecked: awkward.length, problems: [] });
      const back = await store.readStream(id);
      expect(back[1].data).toEqual({
        numbers: [
          1, 1e21, 1e-7, 0, 0.30000000000000004, 123456789012345680000, 5e-324,
          1.7976931348623157e308,
        ],
      });
      expect(back[0].occurredAt?.toISOString()).toBe('2025-10-10T09:00:00.123Z');
    });
  });

  describe('upcasters', () => {
    it('returns the newest shape on read while the stored event and its hash stay as written', async () => {
      const id = stream();
      await store.append(id, 'test', [
        { type: 'Renamed', schemaVersion: 1, data: { nm: 'Rafah' } },
      ]);
      const upcasting = new EventStore(
        db.pool,
        new UpcasterRegistry()
          .register('Renamed', 1, (d) => ({ name: (d as { nm: string }).nm }))
          .register('Renamed', 2, (d) => ({ ...(d as object), kind: 'crossing' })),
      );
      const [event] = await upcasting.readStream(id);
      expect(event.schemaVersion).toBe(3);
      expect(event.data).toEqual({ name: 'Rafah', kind: 'crossing' });
      // The feed shows an event once no older transaction is open anywhere in the cluster (another
      // test file's, in its own database, may be): read it again until it has come.
      let fromFeed: unknown;
      for (let attempt = 0; fromFeed === undefined && attempt < 200; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        fromFeed = (await upcasting.readFeed(null, 10000)).items.find(
          (e) => e.streamId === id,
        )?.data;
      }
      expect(fromFeed).toEqual({ name: 'Rafah', kind: 'crossing' });
      expect((await upcasting.verify({ streamId: id })).ok).toBe(true);
    });
  });

  describe('immutability', () => {
    it.each([
      ['UPDATE', `UPDATE events SET data = '{}'`],
      ['DELETE', 'DELETE FROM events'],
      ['TRUNCATE', 'TRUNCATE events'],
      ['UPDATE of a seal', `UPDATE ledger_seals SET digest = '\\x00'`],
    ])('the database refuses %s', async (_name, sql) => {
      await store.append(stream(), 'test', [{ type: 'A', data: {} }]);
      await expect(db.pool.query(sql)).rejects.toMatchObject({ code: 'CL403' });
    });
  });

  describe('readFeedRowsToHead', () => {
    it('gives no head on an empty feed, and the head of the same read past a reader of other types', async () => {
      const empty = await createTestDatabase(2);
      try {
        const own = new EventStore(empty.pool);
        const start = { transactionId: 0n, globalPosition: 0n };
        expect(await own.readFeedRowsToHead(start, 10)).toEqual({ rows: [], head: null });
        await own.append(stream(), 'test', [{ type: 'Mine', data: {} }], 'no_stream');
        const last = await own.append(
          stream(),
          'test',
          [
            { type: 'Other', data: {} },
            { type: 'Other', data: {} },
          ],
          'no_stream',
        );
        // The horizon is the server's: another test's open transaction may hold it a moment.
        for (let i = 0; i < 3000; i++) {
          const { rows } = await empty.pool.query<{ hidden: number }>(
            `SELECT count(*)::int AS hidden FROM events
              WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`,
          );
          if (rows[0].hidden === 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const mine = await own.readFeedRowsToHead(start, 10, empty.pool, ['Mine']);
        expect(mine.rows.map((r) => r.event_type)).toEqual(['Mine']);
        expect(mine.head?.globalPosition).toBe(BigInt(last.lastPosition));
        const after = await own.readFeedRowsToHead(mine.head ?? start, 10, empty.pool, ['Mine']);
        expect(after).toEqual({ rows: [], head: mine.head });
        const all = await own.readFeedRowsToHead(start, 2);
        expect(all.rows).toHaveLength(2);
        expect(all.head?.globalPosition).toBe(BigInt(last.lastPosition));
      } finally {
        await empty.drop();
      }
    });
  });
});
