// The counts the violations projection keeps: per obligation (the obligation read model's
// `violations`) and per alleged party (the compliance answer's `violations` and `casualties`).
// Given events, these rows; the same as counting the reports at read time.
import type { Actor, DomainEvent } from '@app/domain';
import { EventStore } from '@app/event-store';
import {
  actors,
  OCT_2025,
  oct2025Registered,
  obligationRegistered,
  reuters,
  violationReported,
} from '@app/testing';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { agreementsProjection } from '../agreements/agreements.projection';
import { obligationsProjection } from '../obligations/obligations.projection';
import { getAgreement } from '../read/agreements.read';
import { getCompliance } from '../read/compliance.read';
import { getObligation, listObligations } from '../read/obligations.read';
import { getViolation } from '../read/violations.read';
import { AgreementReplay } from '../replay/agreement-replay';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendEvents, catchUpFully, waitForVisibleFeed } from '../testing/projection-fixtures';
import { violationsProjection } from './violations.projection';

const NOW = new Date('2025-10-25T12:00:00.000Z');
const AGREEMENT = OCT_2025.agreementId;
const PROJECTIONS = [agreementsProjection, obligationsProjection, violationsProjection];

const about = (violationId: string, recordedAt: string) => ({
  violationId,
  agreementId: AGREEMENT,
  recordedAt,
});

/** Two obligations, and reports naming them at every kind of level (one names both). */
const history: Array<[Actor, DomainEvent[]]> = [
  [
    actors.coordinator,
    [
      oct2025Registered(),
      obligationRegistered({ obligationId: 'rafah', title: 'Reopen the Rafah crossing' }),
      obligationRegistered({ obligationId: 'aid', title: 'Let 600 aid trucks in a day' }),
    ],
  ],
  [
    actors.monitor,
    [
      violationReported({ violationId: 'v-both', relatedObligationIds: ['rafah', 'aid'] }),
      violationReported({ violationId: 'v-corroborated', relatedObligationIds: ['rafah'] }),
      {
        type: 'ViolationSourceAdded',
        data: { ...about('v-corroborated', '2025-10-20T18:00:00.000Z'), source: reuters },
      },
      violationReported({ violationId: 'v-retracted', relatedObligationIds: ['aid'] }),
      {
        type: 'ViolationRetracted',
        data: { ...about('v-retracted', '2025-10-20T19:00:00.000Z'), reason: 'wrong crossing' },
      },
      violationReported({ violationId: 'v-discounted', relatedObligationIds: ['aid'] }),
      violationReported({ violationId: 'v-unrelated' }),
    ],
  ],
  [
    actors.verifier,
    [
      {
        type: 'ViolationDiscounted',
        data: { ...about('v-discounted', '2025-10-21T09:00:00.000Z'), note: 'predates it' },
      },
    ],
  ],
];

/** v-both disputed, then confirmed: it moves from reported to contested to confirmed. */
const disputed: DomainEvent = {
  type: 'ViolationDisputed',
  data: {
    ...about('v-both', '2025-10-22T09:00:00.000Z'),
    partyId: 'israel',
    statement: 'no strike took place there',
    source: null,
  },
};
const confirmed: DomainEvent = {
  type: 'ViolationConfirmed',
  data: { ...about('v-both', '2025-10-23T09:00:00.000Z'), note: 'footage geolocated' },
};

/** Hamas is alleged too: the counts are per party. v-hamas's figures are revised upwards. */
const againstHamas: DomainEvent[] = [
  violationReported({ violationId: 'v-hamas', allegedPartyId: 'hamas' }),
  {
    type: 'CasualtiesRevised',
    data: {
      ...about('v-hamas', '2025-10-21T10:00:00.000Z'),
      killed: 3,
      injured: 7,
      previous: { killed: 1, injured: 4 },
      reason: 'hospital figures',
      source: reuters,
    },
  },
];

type CountRow = [obligationId: string, verification: string, reports: number];
type PartyCountRow = [
  partyId: string,
  verification: string,
  reports: number,
  killed: number,
  injured: number,
];

describe('violations projection: kept counts', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;

  const project = (batchSize?: number) =>
    catchUpFully({ catchUpAll: (p) => runner.catchUpAll(p, { batchSize }) }, db.pool, PROJECTIONS);
  const reset = () =>
    db.pool.query(
      `TRUNCATE proj_agreements, proj_obligation_anchors, proj_obligations, proj_violations,
         proj_violation_stats_daily, proj_obligation_violation_counts, proj_party_violation_counts,
         proj_agreement_violation_totals;
       DELETE FROM projection_checkpoints`,
    );
  const counts = async (): Promise<CountRow[]> =>
    (
      await db.pool.query<{ obligation_id: string; verification: string; reports: number }>(
        `SELECT obligation_id, verification, reports FROM proj_obligation_violation_counts
          ORDER BY obligation_id, verification`,
      )
    ).rows.map((r) => [r.obligation_id, r.verification, r.reports]);
  /** What the obligation reads counted from the reports themselves before the counts were kept. */
  const countedFromReports = async (): Promise<CountRow[]> =>
    (
      await db.pool.query<{ obligation_id: string; verification: string; n: number }>(
        `SELECT o.id AS obligation_id, v.verification, count(*)::int AS n
           FROM proj_violations v CROSS JOIN LATERAL unnest(v.related_obligation_ids) AS o(id)
          GROUP BY o.id, v.verification ORDER BY o.id, v.verification`,
      )
    ).rows.map((r) => [r.obligation_id, r.verification, r.n]);
  /** Every stored violation event applied once more, in one batch, in its own transaction. */
  const applyAgain = async () => {
    await waitForVisibleFeed(db.pool);
    const rows = await store.readFeedRows({ transactionId: 0n, globalPosition: 0n }, 10_000);
    const handled = new Set<string>(violationsProjection.handledEventTypes);
    const events = rows.filter((r) => handled.has(r.event_type)).map((r) => store.toStoredEvent(r));
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await violationsProjection.apply(events, client, NOW);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };

  /** `read` gives `expected` again after the feed is applied once more, event by event, or at once. */
  const expectSameHoweverBatched = async <T>(read: () => Promise<T>, expected: T) => {
    await applyAgain();
    expect(await read()).toEqual(expected);
    await reset();
    await project(1);
    expect(await read()).toEqual(expected);
    await reset();
    await project();
    expect(await read()).toEqual(expected);
  };

  beforeEach(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.pool);
    runner = new ProjectionRunner(db.pool, { now: () => NOW });
    for (const [actor, events] of history) await appendEvents(store, events, actor);
  });
  afterEach(() => db.drop());

  describe('per obligation', () => {
    it('counts the reports naming each obligation by current level, retracted and discounted ones included', async () => {
      await project();
      expect(await counts()).toEqual([
        ['aid', 'discounted', 1],
        ['aid', 'reported', 1],
        ['aid', 'retracted', 1],
        ['rafah', 'corroborated', 1],
        ['rafah', 'reported', 1],
      ]);
      expect(await counts()).toEqual(await countedFromReports());
    });

    it('gives the same rows when the same batch is applied twice, or the feed is batched otherwise', async () => {
      await project();
      const once = await counts();
      await applyAgain();
      expect(await counts()).toEqual(once);
      await reset();
      await project(1);
      expect(await counts()).toEqual(once);
    });

    it('moves a report to its new level when it is disputed, then confirmed, leaving no empty level', async () => {
      await project();
      await appendEvents(store, [disputed], actors.verifier);
      await project();
      expect(await counts()).toEqual([
        ['aid', 'contested', 1],
        ['aid', 'discounted', 1],
        ['aid', 'retracted', 1],
        ['rafah', 'contested', 1],
        ['rafah', 'corroborated', 1],
      ]);
      await appendEvents(store, [confirmed], actors.verifier);
      await project();
      const moved = await counts();
      expect(moved).toEqual([
        ['aid', 'confirmed', 1],
        ['aid', 'discounted', 1],
        ['aid', 'retracted', 1],
        ['rafah', 'confirmed', 1],
        ['rafah', 'corroborated', 1],
      ]);
      expect(moved).toEqual(await countedFromReports());
      // Built from scratch in one batch: the same rows as built step by step.
      await reset();
      await project();
      expect(await counts()).toEqual(moved);
    });

    it('keeps a report discounted when a verifier later confirms it (API.md: discounted > confirmed)', async () => {
      await project();
      const reconfirmed: DomainEvent = {
        type: 'ViolationConfirmed',
        data: { ...about('v-discounted', '2025-10-23T10:00:00.000Z'), note: 'footage geolocated' },
      };
      await appendEvents(store, [reconfirmed], actors.verifier);
      await project();
      expect(await counts()).toEqual([
        ['aid', 'discounted', 1],
        ['aid', 'reported', 1],
        ['aid', 'retracted', 1],
        ['rafah', 'corroborated', 1],
        ['rafah', 'reported', 1],
      ]);
      const read = await getViolation(db.pool, 'v-discounted');
      // The note shown is the discount's, the verdict that sets the level, not the later one.
      expect(read).toMatchObject({ verification: 'discounted', verificationNote: 'predates it' });
      await expectSameHoweverBatched(counts, await countedFromReports());
    });

    it('shows the counts on the obligation read and the obligation list', async () => {
      await project();
      const none = {
        retracted: 0,
        discounted: 0,
        confirmed: 0,
        contested: 0,
        corroborated: 0,
        reported: 0,
      };
      expect((await getObligation(db.pool, 'aid'))?.violations).toEqual({
        ...none,
        retracted: 1,
        discounted: 1,
        reported: 1,
      });
      const page = await listObligations(db.pool, { agreementId: AGREEMENT });
      expect(page.items.map((o) => [o.id, o.violations])).toEqual([
        ['rafah', { ...none, corroborated: 1, reported: 1 }],
        ['aid', { ...none, retracted: 1, discounted: 1, reported: 1 }],
      ]);
    });

    it('replays the counts as they were known at an earlier time (asOf)', async () => {
      await project();
      const { rows } = await db.pool.query<{ t: Date }>('SELECT clock_timestamp() AS t');
      const before = rows[0].t;
      // Recorded times are whole milliseconds, and `before` may have been rounded up to the next:
      // let that millisecond pass before the dispute is recorded.
      await new Promise((r) => setTimeout(r, 5));
      await appendEvents(store, [disputed], actors.verifier);
      await project();
      const replay = new AgreementReplay(db.pool);
      const rafahAsOf = (asOf?: Date) =>
        replay.run(
          AGREEMENT,
          { asOf },
          async ({ db: replayed }) => (await getObligation(replayed, 'rafah'))?.violations,
          NOW,
          ['obligations', 'violations'],
        );
      expect(await rafahAsOf(before)).toMatchObject({ reported: 1, corroborated: 1, contested: 0 });
      expect(await rafahAsOf()).toMatchObject({ reported: 0, corroborated: 1, contested: 1 });
      expect((await getObligation(db.pool, 'rafah'))?.violations).toEqual(await rafahAsOf());
    });
  });

  describe('per alleged party (the compliance answer)', () => {
    const partyCounts = async (): Promise<PartyCountRow[]> =>
      (
        await db.pool.query<{
          party_id: string;
          verification: string;
          reports: number;
          killed: number;
          injured: number;
        }>(
          `SELECT party_id, verification, reports, killed::int, injured::int
             FROM proj_party_violation_counts WHERE agreement_id = $1 ORDER BY party_id, verification`,
          [AGREEMENT],
        )
      ).rows.map((r) => [r.party_id, r.verification, r.reports, r.killed, r.injured]);
    /** What the compliance read counted from the reports themselves before the counts were kept. */
    const partyCountedFromReports = async (): Promise<PartyCountRow[]> =>
      (
        await db.pool.query<{
          party_id: string;
          verification: string;
          n: number;
          killed: number;
          injured: number;
        }>(
          `SELECT alleged_party_id AS party_id, verification, count(*)::int AS n,
                  sum(killed)::int AS killed, sum(injured)::int AS injured
             FROM proj_violations WHERE agreement_id = $1
            GROUP BY alleged_party_id, verification ORDER BY 1, 2`,
          [AGREEMENT],
        )
      ).rows.map((r) => [r.party_id, r.verification, r.n, r.killed, r.injured]);

    it('counts the reports against each party by current level, with their casualties', async () => {
      await appendEvents(store, againstHamas, actors.monitor);
      await project();
      expect(await partyCounts()).toEqual([
        ['hamas', 'reported', 1, 3, 7],
        ['israel', 'corroborated', 1, 1, 4],
        ['israel', 'discounted', 1, 1, 4],
        ['israel', 'reported', 2, 2, 8],
        ['israel', 'retracted', 1, 1, 4],
      ]);
      expect(await partyCounts()).toEqual(await partyCountedFromReports());
    });

    it('gives the same rows applied twice, batched otherwise, or moved level by level', async () => {
      await appendEvents(store, againstHamas, actors.monitor);
      await project();
      await appendEvents(store, [disputed], actors.verifier);
      await project();
      await appendEvents(store, [confirmed], actors.verifier);
      await project();
      const stepByStep = await partyCounts();
      expect(stepByStep).toEqual([
        ['hamas', 'reported', 1, 3, 7],
        ['israel', 'confirmed', 1, 1, 4],
        ['israel', 'corroborated', 1, 1, 4],
        ['israel', 'discounted', 1, 1, 4],
        ['israel', 'reported', 1, 1, 4],
        ['israel', 'retracted', 1, 1, 4],
      ]);
      expect(stepByStep).toEqual(await partyCountedFromReports());
      await expectSameHoweverBatched(partyCounts, stepByStep);
    });

    it('gives the compliance answer its violations and casualties, leaving out discounted and retracted figures', async () => {
      await appendEvents(store, againstHamas, actors.monitor);
      await project();
      const compliance = await getCompliance(db.pool, AGREEMENT, NOW);
      const party = (id: string) => compliance?.parties.find((p) => p.partyId === id);
      expect(party('israel')?.violations).toEqual({
        reported: 2,
        corroborated: 1,
        confirmed: 0,
        contested: 0,
        discounted: 1,
        retracted: 1,
      });
      expect(party('israel')?.casualties).toEqual({ killed: 3, injured: 12 });
      expect(party('hamas')?.casualties).toEqual({ killed: 3, injured: 7 });
    });
  });

  describe('per agreement (the agreement read)', () => {
    const totals = async () =>
      (
        await db.pool.query<{ reports: number; updated_at: Date }>(
          'SELECT reports, updated_at FROM proj_agreement_violation_totals WHERE agreement_id = $1',
          [AGREEMENT],
        )
      ).rows.map((r) => [r.reports, r.updated_at.toISOString()]);
    /** What the agreement read counted from the reports themselves before the totals were kept. */
    const countedFromReports = async () =>
      (
        await db.pool.query<{ n: number; latest: Date }>(
          `SELECT count(*)::int AS n, max(updated_at) AS latest FROM proj_violations
            WHERE agreement_id = $1`,
          [AGREEMENT],
        )
      ).rows.map((r) => [r.n, r.latest.toISOString()]);

    it('counts every report whatever its level and keeps the latest change, however batched', async () => {
      await project();
      expect(await totals()).toEqual([[5, '2025-10-21T09:00:00.000Z']]);
      await appendEvents(store, [...againstHamas, disputed, confirmed], actors.monitor);
      await project();
      const stepByStep = await totals();
      expect(stepByStep).toEqual([[6, '2025-10-23T09:00:00.000Z']]);
      expect(stepByStep).toEqual(await countedFromReports());
      await expectSameHoweverBatched(totals, stepByStep);
    });

    it('gives the agreement read its violation count and latest change', async () => {
      await appendEvents(store, [...againstHamas, disputed, confirmed], actors.monitor);
      await project();
      const agreement = await getAgreement(db.pool, AGREEMENT);
      expect(agreement?.violationCount).toBe(6);
      // The agreement's own row changes too; the latest of all is the read's updatedAt.
      expect(Date.parse(agreement?.updatedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse('2025-10-23T09:00:00.000Z'),
      );
    });
  });
});
