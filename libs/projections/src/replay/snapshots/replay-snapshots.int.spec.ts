import type { DomainEvent } from '@app/domain';
import { EventStore } from '@app/event-store';
import { createPool } from '@app/shared';
import * as fx from '@app/testing';
import type { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../../test/support/test-database';
import { tamperWithLedger } from '../../../../../test/support/tamper';
import { getCompliance } from '../../read/compliance.read';
import { getObligation } from '../../read/obligations.read';
import { getViolation } from '../../read/violations.read';
import {
  appendEvents,
  gazaOctober2025,
  waitForVisibleFeed,
} from '../../testing/projection-fixtures';
import { readAgreementEvents } from '../agreement-events';
import { AgreementReplay, ReplayTimes } from '../agreement-replay';
import { listSnapshots, SnapshotHeader } from './replay-snapshots';
import { ReplaySnapshotter, snapshotsToKeep } from './replay-snapshotter';
import { verifySnapshotEvents, verifySnapshotRows } from './snapshot-verifier';

const A = fx.OCT_2025.agreementId;
const B = 'gaza-2025-10-b';
const C = 'gaza-2025-10-c';
const D = 'gaza-2025-10-d';
const inB = (e: DomainEvent) => inAgreement(e, B, '-b');
const inC = (e: DomainEvent) => inAgreement(e, C, '-c');
const inD = (e: DomainEvent) => inAgreement(e, D, '-d');
const COMPLIANCE = ['agreements', 'obligations', 'violations', 'casualty-tallies'];
const EVERY = 4;
const MINUTE = 60_000;

/** The same events in another agreement (ids suffixed), so the feed interleaves agreements. */
function inAgreement(e: DomainEvent, agreementId: string, suffix: string): DomainEvent {
  const data: Record<string, unknown> = { ...(e.data as unknown as Record<string, unknown>) };
  data.agreementId = agreementId;
  const rename = (id: unknown) => `${String(id)}${suffix}`;
  if (typeof data.obligationId === 'string') data.obligationId = rename(data.obligationId);
  if (typeof data.violationId === 'string') data.violationId = rename(data.violationId);
  if (typeof data.tallyId === 'string') data.tallyId = rename(data.tallyId);
  if (Array.isArray(data.conditions)) data.conditions = data.conditions.map(rename);
  if (Array.isArray(data.relatedObligationIds)) {
    data.relatedObligationIds = data.relatedObligationIds.map(rename);
  }
  return { type: e.type, data } as unknown as DomainEvent;
}

const violationEvent = (type: string, violationId: string, extra: object): DomainEvent =>
  ({
    type,
    data: { violationId, agreementId: A, recordedAt: '2025-10-14T12:00:00.000Z', ...extra },
  }) as unknown as DomainEvent;

describe('replay snapshots', () => {
  let db: TestDatabase;
  let service: Pool;
  let store: EventStore;
  let snapshotter: ReplaySnapshotter;
  let withSnapshots: AgreementReplay;
  let withoutSnapshots: AgreementReplay;
  // Deadlines after every snapshot's time and before the latest as-of times asked.
  const soonDue = new Date(Date.now() + 30 * MINUTE);
  let conditionFulfilledAt: Date;
  const obligationIds: string[] = [];
  const violationIds: string[] = [];

  const append = async (events: DomainEvent[]) => {
    for (const e of events) {
      const data = e.data as { obligationId?: string; violationId?: string };
      if (e.type === 'ObligationRegistered' && data.obligationId?.endsWith('-b') === false) {
        obligationIds.push(data.obligationId);
      }
      if (e.type === 'ViolationReported' && data.violationId?.endsWith('-b') === false) {
        violationIds.push(data.violationId);
      }
    }
    await appendEvents(store, events);
  };
  /** Runs the snapshot job once the feed shows every event (no other test's transaction open). */
  const runJob = async () => {
    await waitForVisibleFeed(db.pool);
    return snapshotter.run();
  };

  /** Everything the as-of reads answer from a replay. */
  const answers = (
    replay: AgreementReplay,
    agreementId: string,
    times: ReplayTimes,
    needed: readonly string[] = COMPLIANCE,
  ) =>
    replay.run(
      agreementId,
      times,
      async ({ db: replayed, at, lastPosition, snapshot }) => {
        const suffix = agreementId === B ? '-b' : '';
        const obligations = needed.includes('obligations')
          ? await Promise.all(obligationIds.map((id) => getObligation(replayed, id + suffix)))
          : [];
        return {
          compliance: needed.includes('agreements')
            ? await getCompliance(replayed, agreementId, at)
            : null,
          // statusSince is when a status was first seen: earlier or later depending on how the
          // rows were computed (API.md keeps it out of the replay's promise; compare-projections
          // calls it volatile).
          obligations: obligations.map((o) => o && { ...o, statusSince: undefined }),
          violations: await Promise.all(
            violationIds.map((id) => getViolation(replayed, id + suffix)),
          ),
          lastPosition,
          snapshotId: snapshot?.snapshotId ?? null,
        };
      },
      times.asOf ?? new Date(),
      needed,
    );

  /** Replays with and without snapshots; returns which snapshot was used. */
  const expectSameAnswers = async (
    agreementId: string,
    times: ReplayTimes,
    needed: readonly string[] = COMPLIANCE,
  ): Promise<number | null> => {
    const fast = await answers(withSnapshots, agreementId, times, needed);
    const full = await answers(withoutSnapshots, agreementId, times, needed);
    expect(full.snapshotId).toBeNull();
    expect({ ...fast, snapshotId: null }).toEqual(full);
    return fast.snapshotId;
  };

  const recordedTimes = async (agreementId: string): Promise<Date[]> => {
    const { rows } = await db.pool.query<{ at: Date }>(
      `SELECT DISTINCT recorded_at AS at FROM events
        WHERE stream_id IN (SELECT stream_id FROM events
                             WHERE data->>'agreementId' = $1 AND stream_version = 1)
        ORDER BY 1`,
      [agreementId],
    );
    return rows.map((r) => r.at);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // As the apps do: the service's role, with its production privileges.
    service = createPool(db.serviceUrl, { max: 5 });
    store = new EventStore(service);
    snapshotter = new ReplaySnapshotter(service, { every: EVERY });
    withSnapshots = new AgreementReplay(service);
    withoutSnapshots = new AgreementReplay(service, undefined, { snapshots: false });
    const gaza = gazaOctober2025();
    const [registration, phase, ...rest] = gaza;
    const obligations = rest.filter((e) => e.type === 'ObligationRegistered');
    const later = rest.filter((e) => e.type !== 'ObligationRegistered');

    // Round 1: the agreement and its obligations, among them one due soon and one due an hour
    // after a condition that is fulfilled later.
    await append([registration, phase, ...obligations]);
    await append([
      fx.obligationRegistered({
        obligationId: 'due-soon',
        kind: 'crossing_reopening',
        responsiblePartyId: 'israel',
        dueAt: soonDue.toISOString(),
      }),
      fx.obligationRegistered({
        obligationId: 'condition',
        kind: 'prisoner_release',
        target: { quantity: 5, unit: 'prisoners' },
      }),
      fx.obligationRegistered({
        obligationId: 'after-condition',
        kind: 'withdrawal',
        responsiblePartyId: 'israel',
        conditions: ['condition'],
        dueWithin: { hours: 1, after: 'conditions_met' },
      }),
    ]);
    await appendEvents(store, [registration, phase, ...obligations].map(inB));
    await runJob();

    // Round 2: progress, reports, sources, verdicts, tallies.
    await append(later.slice(0, 8));
    await appendEvents(store, later.slice(0, 8).map(inB));
    await runJob();
    await append(later.slice(8));

    // Round 3: corrections after the snapshots: casualties revised, a dispute, a retraction, an
    // amended deadline, a disputed fulfilment, and the condition fulfilled.
    await runJob();
    conditionFulfilledAt = new Date(Date.now() + 2 * MINUTE);
    await append([
      violationEvent('CasualtiesRevised', 'strike-gaza-city', {
        killed: 3,
        injured: 6,
        previous: { killed: 1, injured: 4 },
        reason: 'two more died of their wounds',
        source: fx.healthMinistry,
      }),
      violationEvent('ViolationDisputed', 'strike-gaza-city', {
        partyId: 'israel',
        statement: 'a militant cell was targeted',
        source: null,
      }),
      violationEvent('ViolationRetracted', 'strikes-khan-younis', {
        reason: 'misattributed',
      }),
      fx.deadlineAmended(
        'hostages-remains',
        '2025-10-20T09:00:00.000Z',
        '2025-10-14T12:00:00.000Z',
        '2025-10-13T09:00:00.000Z',
      ),
      fx.fulfilmentDisputed('hostages-living', '2025-10-14T13:00:00.000Z'),
      fx.progressReported('condition', 5, conditionFulfilledAt.toISOString()),
    ]);
    // Agreement C: exactly one snapshot's worth of events, nothing after it.
    await appendEvents(
      store,
      [
        registration,
        phase,
        fx.obligationRegistered({
          obligationId: 'due-soon',
          kind: 'crossing_reopening',
          responsiblePartyId: 'israel',
          dueAt: soonDue.toISOString(),
        }),
        gaza.find((e) => e.type === 'ViolationReported') as DomainEvent,
      ].map(inC),
    );
    // The last three of A (the amended deadline, the disputed fulfilment, the condition
    // fulfilled) stay after its newest snapshot.
    await runJob();
  });
  afterAll(() => db.drop());

  it('the job builds each snapshot from the previous one plus the next events', async () => {
    const snapshots = await listSnapshots(db.pool, A);
    expect(snapshots.map((s) => s.eventsCount)).toEqual([12, 16, 20, 24, 28]);
    snapshots.forEach((s, i) => {
      // One fold step per snapshot in its chain, each `EVERY` events on from the last.
      expect(s.steps).toHaveLength(s.eventsCount / EVERY);
      if (i > 0) {
        expect(s.baseSnapshotId).toBe(snapshots[i - 1].snapshotId);
        expect(s.steps.slice(0, -1)).toEqual(snapshots[i - 1].steps);
      }
      expect(s.at).toEqual(s.maxRecordedAt);
      expect(s.rejectedAt).toBeNull();
    });
    // Retention thinned the oldest out (those of 4 and 8 events): older ones further apart.
    expect(snapshots[0].baseSnapshotId).not.toBeNull();
    expect((await listSnapshots(db.pool, B)).map((s) => s.eventsCount)).toEqual([4, 8, 12]);
    // Nothing new enough: a run writes nothing.
    const again = await runJob();
    expect(again).toMatchObject({ ran: true, created: 0, deleted: 0 });
  });

  it('as-of with snapshots answers as as-of without, at every recorded time and between', async () => {
    const times = await recordedTimes(A);
    const asked = [
      ...times.flatMap((t) => [new Date(t.getTime() - 1), t]),
      // A deadline passing after every snapshot, with no event; then the condition's deadline.
      new Date(soonDue.getTime() - 1),
      new Date(soonDue.getTime() + 1),
      new Date(conditionFulfilledAt.getTime() + 59 * MINUTE),
      new Date(conditionFulfilledAt.getTime() + 61 * MINUTE),
      new Date(Date.now() + 24 * 60 * MINUTE),
    ];
    const used = new Set<number>();
    for (const asOf of asked) {
      const snapshotId = await expectSameAnswers(A, { asOf });
      if (snapshotId !== null) used.add(snapshotId);
    }
    // Each snapshot is the starting point from its time until the next one's.
    expect(used.size).toBeGreaterThanOrEqual(3);
    // Before the first snapshot's time there is none to start from.
    expect(await expectSameAnswers(A, { asOf: new Date(times[0].getTime()) })).toBeNull();

    const late = await answers(withSnapshots, A, { asOf: new Date(soonDue.getTime() + 1) });
    expect(late.obligations.find((o) => o?.id === 'due-soon')?.status).toBe('overdue');
    const early = await answers(withSnapshots, A, { asOf: new Date(soonDue.getTime() - 1) });
    expect(early.obligations.find((o) => o?.id === 'due-soon')?.status).toBe('pending');
  });

  it('a deadline passing after the snapshot, with no event since, turns the status as live', async () => {
    const [snapshot] = await listSnapshots(db.pool, C);
    expect(snapshot.eventsCount).toBe(EVERY);
    const status = async (asOf: Date) => {
      const answer = await withSnapshots.run(
        C,
        { asOf },
        async ({ db: replayed, snapshot: used, eventsFolded }) => ({
          status: (await getObligation(replayed, 'due-soon-c'))?.status,
          used: used?.snapshotId,
          eventsFolded,
        }),
        asOf,
        ['obligations', 'violations'],
      );
      expect(await expectSameAnswers(C, { asOf })).toBe(snapshot.snapshotId);
      return answer;
    };
    expect(await status(new Date(soonDue.getTime() - 1))).toEqual({
      status: 'pending',
      used: snapshot.snapshotId,
      eventsFolded: 0,
    });
    expect(await status(new Date(soonDue.getTime() + 1))).toEqual({
      status: 'overdue',
      used: snapshot.snapshotId,
      eventsFolded: 0,
    });
  });

  it('a snapshot covers only the commit-safe feed: an event committed late is folded after it', async () => {
    const gaza = gazaOctober2025().map(inD);
    await appendEvents(store, gaza.slice(0, EVERY));
    await waitForVisibleFeed(db.pool);
    // A transaction that appends and stays open: the events after it commit first.
    const late = await service.connect();
    try {
      await late.query('BEGIN');
      const report = inD(fx.violationReported({ violationId: 'late-report' }));
      await store.append(
        'violation-late-report-d',
        'violation',
        [
          {
            type: report.type,
            data: report.data,
            metadata: { actor: fx.actors.monitor, correlationId: 'late' },
            occurredAt: new Date('2025-10-20T14:00:00.000Z'),
          },
        ],
        'no_stream',
        { client: late },
      );
      await appendEvents(store, gaza.slice(EVERY, 2 * EVERY));
      let snapshots: SnapshotHeader[] = [];
      for (let attempt = 0; attempt < 50 && snapshots.length === 0; attempt++) {
        await snapshotter.run();
        snapshots = await listSnapshots(db.pool, D);
        if (snapshots.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      // Not the events committed after the open transaction's: it may still commit before them.
      expect(snapshots.map((s) => s.eventsCount)).toEqual([EVERY]);
      await late.query('COMMIT');
    } finally {
      await late.query('ROLLBACK').catch(() => undefined);
      late.release();
    }
    const used = await expectSameAnswers(D, { asOf: new Date() });
    expect(used).toBe((await listSnapshots(db.pool, D))[0].snapshotId);
    const folded = await withSnapshots.run(
      D,
      { asOf: new Date() },
      async ({ eventsFolded }) => eventsFolded,
      new Date(),
      COMPLIANCE,
    );
    expect(folded).toBe(EVERY + 1);
  });

  it('reads the same events after a snapshot from the feed as from the agreement streams', async () => {
    const [first, second] = await listSnapshots(db.pool, A);
    const times = await recordedTimes(A);
    let read = 0;
    for (const after of [first, second]) {
      for (const recordedUntil of [null, times[Math.floor(times.length / 2)], times.at(-1)]) {
        const events = (strategy: 'feed' | 'streams') =>
          readAgreementEvents(service, store, A, { after, recordedUntil, strategy });
        const fromFeed = await events('feed');
        expect(await events('streams')).toEqual(fromFeed);
        expect(fromFeed.every((e) => e.position > Number(after.globalPosition))).toBe(true);
        read += fromFeed.length;
      }
    }
    expect(read).toBeGreaterThan(0);
  });

  it('as-of reads of fewer projections restore only theirs, with the same answers', async () => {
    for (const asOf of [new Date(soonDue.getTime() + 1), new Date()]) {
      expect(await expectSameAnswers(A, { asOf }, ['obligations', 'violations'])).not.toBeNull();
      expect(await expectSameAnswers(A, { asOf }, ['violations'])).not.toBeNull();
      expect(await expectSameAnswers(B, { asOf })).not.toBeNull();
    }
  });

  it('occurredBefore replays fold every event, as before', async () => {
    for (const times of [
      { occurredBefore: new Date('2025-10-12T12:00:00.000Z') },
      { occurredBefore: new Date('2025-10-13T12:00:00.000Z'), asOf: new Date() },
    ]) {
      expect(await expectSameAnswers(A, times)).toBeNull();
    }
  });

  it('ignores a snapshot made by another version of a projection', async () => {
    const [newest] = (await listSnapshots(db.pool, A)).slice(-1);
    await db.pool.query(
      `UPDATE replay_snapshots SET projections = jsonb_set(projections, '{violations,version}', '99')
        WHERE snapshot_id = $1`,
      [newest.snapshotId],
    );
    try {
      const used = await expectSameAnswers(A, { asOf: new Date() });
      expect(used).not.toBeNull();
      expect(used).not.toBe(newest.snapshotId);
      expect(
        await expectSameAnswers(A, { asOf: new Date() }, ['obligations', 'violations']),
      ).not.toBe(newest.snapshotId);
      // A replay of projections whose versions it matches may still start from it.
      expect(await expectSameAnswers(A, { asOf: new Date() }, ['obligations'])).toBe(
        newest.snapshotId,
      );
    } finally {
      await db.pool.query('UPDATE replay_snapshots SET projections = $2 WHERE snapshot_id = $1', [
        newest.snapshotId,
        JSON.stringify(newest.projections),
      ]);
    }
  });

  it('verify finds nothing wrong with snapshots as written', async () => {
    expect(await verifySnapshotEvents(service)).toEqual({
      snapshotsChecked: (await listSnapshots(db.pool)).length,
      problems: [],
    });
    const refold = await verifySnapshotRows(service);
    expect(refold.problems).toEqual([]);
    expect(refold.snapshotsChecked).toBe((await listSnapshots(db.pool)).length);
  });

  it('a snapshot whose rows were altered is found by folding again, and no longer used', async () => {
    const snapshots = await listSnapshots(db.pool, A);
    const victim = snapshots[snapshots.length - 2];
    await db.pool.query(
      `UPDATE replay_snapshot_rows
          SET rows = (SELECT jsonb_agg(CASE WHEN r->>'violation_id' = 'strike-gaza-city'
                                            THEN jsonb_set(r, '{killed}', '0') ELSE r END)
                        FROM jsonb_array_elements(rows) AS r)
        WHERE snapshot_id = $1 AND table_name = 'proj_violations'`,
      [victim.snapshotId],
    );
    // Its events are intact: the digest check cannot see it.
    expect((await verifySnapshotEvents(service)).problems).toEqual([]);
    const refold = await verifySnapshotRows(service);
    expect(refold.problems).toEqual([
      expect.objectContaining({
        kind: 'snapshot_mismatch',
        snapshotId: victim.snapshotId,
        agreementId: A,
        detail: expect.stringContaining('proj_violations: 1 stored rows differ'),
      }),
    ]);
    const rejected = (await listSnapshots(db.pool, A)).find(
      (s) => s.snapshotId === victim.snapshotId,
    ) as SnapshotHeader;
    expect(rejected.rejectedAt).not.toBeNull();
    // The time it was the starting point for: now an older snapshot is, with the same answers.
    const next = snapshots[snapshots.length - 1];
    const used = await expectSameAnswers(A, { asOf: new Date(next.maxRecordedAt.getTime() - 1) });
    expect(used).not.toBe(victim.snapshotId);
    expect(used).not.toBeNull();
  });

  it('a deleted event is found by verify; the snapshots covering it are no longer used', async () => {
    const snapshots = await listSnapshots(db.pool, B);
    const { rows } = await db.pool.query<{ global_position: string; stream_id: string }>(
      `SELECT global_position::text, stream_id FROM events
        WHERE event_type = 'ProgressReported' AND data->>'agreementId' = $1
        ORDER BY global_position LIMIT 1`,
      [B],
    );
    const deleted = Number(rows[0].global_position);
    const covering = snapshots.filter((s) => Number(s.globalPosition) >= deleted);
    expect(covering.length).toBeGreaterThan(0);
    await tamperWithLedger(db.pool, 'DELETE FROM events WHERE global_position = $1', [deleted]);

    const ledger = await store.verify();
    const check = await verifySnapshotEvents(service, { ledgerProblems: ledger.problems });
    expect(check.problems.map((p) => p.snapshotId).sort()).toEqual(
      covering.map((s) => s.snapshotId).sort(),
    );
    expect(check.problems[0].detail).toMatch(/1 of them are gone/);
    for (const s of await listSnapshots(db.pool, B)) {
      expect(s.rejectedAt !== null).toBe(covering.some((c) => c.snapshotId === s.snapshotId));
    }
    const used = await expectSameAnswers(B, { asOf: new Date() });
    expect(covering.map((s) => s.snapshotId)).not.toContain(used);
  });

  it('an event altered in place fails the ledger check, and so do the snapshots covering it', async () => {
    const { rows } = await db.pool.query<{ global_position: string }>(
      `SELECT global_position::text FROM events
        WHERE event_type = 'PhaseStarted' AND data->>'agreementId' = $1`,
      [A],
    );
    const altered = Number(rows[0].global_position);
    await tamperWithLedger(
      db.pool,
      `UPDATE events SET data = jsonb_set(data, '{startedAt}', '"2025-10-11T09:00:00.000Z"')
        WHERE global_position = $1`,
      [altered],
    );
    const ledger = await store.verify();
    expect(ledger.problems).toContainEqual(
      expect.objectContaining({ kind: 'hash_mismatch', position: altered }),
    );
    const check = await verifySnapshotEvents(service, { ledgerProblems: ledger.problems });
    const ofA = await listSnapshots(db.pool, A);
    expect(check.problems.filter((p) => p.agreementId === A).map((p) => p.snapshotId)).toEqual(
      ofA.map((s) => s.snapshotId),
    );
    expect(check.problems.find((p) => p.agreementId === A)?.detail).toContain(
      `it covers the event at position ${altered}, which fails verification`,
    );
    // Every snapshot of A is rejected: the replay folds the events as they now are.
    expect(await expectSameAnswers(A, { asOf: new Date() })).toBeNull();
  });
});

describe('snapshot retention', () => {
  it('keeps the newest and older ones further apart the older they are', () => {
    const counts = Array.from({ length: 10 }, (_, i) => 100_000 - i * 10_000);
    expect(snapshotsToKeep(counts, 10_000).map((i) => counts[i])).toEqual([
      100_000, 90_000, 80_000, 70_000, 60_000, 40_000, 20_000,
    ]);
    expect(snapshotsToKeep([], 10)).toEqual([]);
    expect(snapshotsToKeep([5], 10)).toEqual([0]);
  });
});
