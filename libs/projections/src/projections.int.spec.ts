import { EventStore } from '@app/event-store';
import {
  fulfilmentVerified,
  obligationRegistered,
  progressReported,
  violationReported,
} from '@app/testing';
import type { DomainEvent } from '@app/domain';
import type { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { PROJECTIONS } from './projections';
import { ProjectionRunner } from './runner/projection-runner';
import { projectionStatus } from './runner/projection-status';
import {
  allApplied,
  appendEvents,
  catchUpFully,
  dumpProjections,
  gazaOctober2025,
  resetProjections,
  waitForVisibleFeed,
} from './testing/projection-fixtures';
import { oct2025Registered } from '@app/testing';

const NOW = new Date('2025-10-14T12:00:00.000Z');

async function applyDirectly(pool: Pool, store: EventStore): Promise<void> {
  const rows = await store.readFeedRows({ transactionId: 0n, globalPosition: 0n }, 10_000);
  const events = rows.map((r) => store.toStoredEvent(r));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const projection of PROJECTIONS) {
      const handled = new Set<string>(projection.handledEventTypes);
      await projection.apply(
        events.filter((e) => handled.has(e.type)),
        client,
        NOW,
      );
    }
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('projections', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await resetProjections(db.pool);
  });

  it('projects the Gaza events into rows, and the same batch applied twice gives the same rows', async () => {
    await appendEvents(store, gazaOctober2025());
    // The feed hides events while any older transaction on the server is open (other tests').
    await waitForVisibleFeed(db.pool);
    await applyDirectly(db.pool, store);
    const once = await dumpProjections(db.pool);
    expect(once.proj_agreements).toHaveLength(1);
    expect(once.proj_obligations).toHaveLength(4);
    expect(once.proj_violations).toHaveLength(4);
    expect(once.proj_casualty_tallies).toHaveLength(3);
    expect(once.proj_timeline.length).toBeGreaterThan(20);
    expect(
      once.proj_obligations.map((o) => {
        const row = o as { obligation_id: string; status: string };
        return [row.obligation_id, row.status];
      }),
    ).toEqual([
      ['aid-trucks', 'in_progress'],
      ['hostages-living', 'fulfilled'],
      ['hostages-remains', 'overdue'],
      ['rafah-crossing', 'blocked'],
    ]);
    await applyDirectly(db.pool, store);
    expect(await dumpProjections(db.pool)).toEqual(once);
  });

  it('applies each event once through the checkpoint, however the feed is batched', async () => {
    const runner = new ProjectionRunner(db.pool, { now: () => NOW });
    await catchUpFully(runner, db.pool, PROJECTIONS);
    const whole = await dumpProjections(db.pool);
    expect(await runner.catchUpAll(PROJECTIONS)).toEqual(
      Object.fromEntries(PROJECTIONS.map((p) => [p.name, 0])),
    );
    await resetProjections(db.pool);
    await catchUpFully(
      { catchUpAll: (p) => runner.catchUpAll(p, { batchSize: 3 }) },
      db.pool,
      PROJECTIONS,
    );
    expect(await dumpProjections(db.pool, ['seq', 'status_computed_at', 'status_since'])).toEqual(
      await (async () => {
        const strip = (dump: Record<string, unknown[]>) =>
          Object.fromEntries(
            Object.entries(dump).map(([t, rows]) => [
              t,
              rows.map((r) => {
                const { status_since: _s, ...rest } = r as Record<string, unknown>;
                return rest;
              }),
            ]),
          );
        return strip(whole);
      })(),
    );
  });

  it('rolls a failing batch back whole and leaves the checkpoint where it was', async () => {
    const runner = new ProjectionRunner(db.pool, { now: () => NOW });
    const failing = {
      ...PROJECTIONS[3],
      async apply(...args: Parameters<(typeof PROJECTIONS)[number]['apply']>) {
        await PROJECTIONS[3].apply(...args);
        throw new Error('killed mid-batch');
      },
    };
    await waitForVisibleFeed(db.pool);
    await expect(runner.catchUp(failing)).rejects.toThrow('killed mid-batch');
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM proj_timeline');
    expect(rows[0].n).toBe(0);
    const status = await projectionStatus(db.pool);
    expect(status.find((s) => s.name === 'timeline')?.position).toBe(0);
    expect(await runner.catchUp(PROJECTIONS[3])).toBeGreaterThan(20);
  });

  it('two runners at once over 10,000 events produce exactly the rows of one runner', async () => {
    const events: DomainEvent[] = [];
    for (let a = 0; a < 25; a++) {
      const agreementId = `agreement-${a}`;
      const registered = oct2025Registered();
      events.push({ ...registered, data: { ...registered.data, agreementId } });
      for (let o = 0; o < 20; o++) {
        const obligationId = `a${a}-o${o}`;
        const reg = obligationRegistered({
          obligationId,
          agreementId,
          target: { quantity: 50, unit: 'units' },
          dueAt: '2025-10-13T09:00:00.000Z',
          conditions: o > 0 && o % 5 === 0 ? [`a${a}-o${o - 1}`] : [],
        });
        events.push(reg);
        for (let p = 0; p < 10; p++) {
          const progress = progressReported(
            obligationId,
            5 + (o % 3),
            `2025-10-1${p % 4}T10:00:00.000Z`,
          );
          events.push({ ...progress, data: { ...progress.data, agreementId } });
        }
        if (o % 4 === 0) {
          const verified = fulfilmentVerified(obligationId, '2025-10-13T00:00:00.000Z');
          events.push({ ...verified, data: { ...verified.data, agreementId } });
        }
      }
      for (let v = 0; v < 175; v++) {
        events.push(
          violationReported({
            violationId: `a${a}-v${v}`,
            agreementId,
            occurredAt: `2025-10-1${v % 4}T0${v % 10}:00:00.000Z`,
            allegedPartyId: v % 2 ? 'israel' : 'hamas',
            casualties: { killed: v % 3, injured: v % 5 },
          }),
        );
      }
    }
    expect(events.length).toBeGreaterThanOrEqual(10_000);
    // Half written before the runners start, half while they run.
    const half = Math.floor(events.length / 2);
    await appendEvents(store, events.slice(0, half));
    const runners = [0, 1].map(() => new ProjectionRunner(db.pool, { now: () => NOW }));
    let writing = true;
    const writer = appendEvents(store, events.slice(half)).finally(() => {
      writing = false;
    });
    const applied = [0, 0];
    const loop = async (i: number) => {
      for (;;) {
        const stillWriting = writing;
        const counts = await runners[i].catchUpAll(PROJECTIONS, { batchSize: 250 });
        applied[i] += counts.timeline;
        if (!stillWriting && (await allApplied(db.pool))) return;
      }
    };
    await Promise.all([loop(0), loop(1), writer]);
    // Each event reached the timeline exactly once, split between the two runners.
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    expect(applied[0] + applied[1]).toBe(Number(rows[0].n));
    expect(applied[0]).toBeGreaterThan(0);
    expect(applied[1]).toBeGreaterThan(0);
    const concurrent = await dumpProjections(db.pool, [
      'seq',
      'status_computed_at',
      'status_since',
    ]);
    expect(concurrent.proj_timeline).toHaveLength(Number(rows[0].n));

    await resetProjections(db.pool);
    await catchUpFully(new ProjectionRunner(db.pool, { now: () => NOW }), db.pool, PROJECTIONS);
    const single = await dumpProjections(db.pool, ['seq', 'status_computed_at', 'status_since']);
    expect(concurrent).toEqual(single);
  });
});
