import type { DomainEvent } from '@app/domain';
import { EventStore, InvalidCursor } from '@app/event-store';
import { progressReported } from '@app/testing';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { nextStatusCheckAt, recomputeDueObligations } from '../obligations/obligation-status-sweep';
import { PROJECTIONS } from '../projections';
import { ProjectionRunner } from '../runner/projection-runner';
import { projectionStatus } from '../runner/projection-status';
import {
  appendEvents,
  catchUpFully,
  gazaOctober2025,
  waitForVisibleFeed,
} from '../testing/projection-fixtures';
import { getAgreement, listAgreements } from './agreements.read';
import { getCompliance } from './compliance.read';
import { getObligation, listObligations } from './obligations.read';
import { timeline } from './timeline.read';
import { getViolation, listViolations, violationStats } from './violations.read';

const AGREEMENT = 'gaza-2025-10';
const FIRST_DAY_END = Date.parse('2025-10-13T08:30:00.000Z');

const recordedAt = (e: DomainEvent): number => {
  const data = e.data as { recordedAt?: string; registeredAt?: string };
  return Date.parse(data.recordedAt ?? data.registeredAt ?? '1970-01-01T00:00:00.000Z');
};

describe('read models of the October 2025 Gaza agreement', () => {
  let db: TestDatabase;
  let store: EventStore;
  let clock: Date;
  let runner: ProjectionRunner;

  const catchUp = () => catchUpFully(runner, db.pool, PROJECTIONS);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
    runner = new ProjectionRunner(db.pool, { now: () => clock });
  });
  afterAll(() => db.drop());

  it('turns the remains overdue when their deadline passes, with no new event', async () => {
    clock = new Date(FIRST_DAY_END);
    await appendEvents(
      store,
      gazaOctober2025().filter((e) => recordedAt(e) <= FIRST_DAY_END),
    );
    await catchUp();
    expect((await getObligation(db.pool, 'hostages-remains'))?.status).toBe('in_progress');
    expect(await getObligation(db.pool, 'hostages-living')).toMatchObject({
      status: 'fulfilled',
      fulfilledAt: '2025-10-13T08:00:00.000Z',
      late: false,
      dueAt: '2025-10-13T09:00:00.000Z',
    });
    expect((await nextStatusCheckAt(db.pool))?.toISOString()).toBe('2025-10-13T09:00:00.001Z');

    // At the deadline itself nothing is due yet ("before t"); a millisecond later it is.
    expect(await recomputeDueObligations(db.pool, new Date('2025-10-13T09:00:00.000Z'))).toBe(0);
    clock = new Date('2025-10-13T09:00:00.001Z');
    expect(await recomputeDueObligations(db.pool, clock)).toBe(1);
    expect(await getObligation(db.pool, 'hostages-remains')).toMatchObject({
      status: 'overdue',
      statusSince: '2025-10-13T09:00:00.001Z',
      dueAt: '2025-10-13T09:00:00.000Z',
      delivered: 4,
      progress: 4 / 28,
    });
    // Rafah waits on the remains: blocked, with no deadline yet.
    expect(await getObligation(db.pool, 'rafah-crossing')).toMatchObject({
      status: 'blocked',
      dueAt: null,
      conditions: [{ obligationId: 'hostages-remains', status: 'overdue' }],
    });
  });

  it('gives statuses, rates, progress, violations and casualties beside the tallies', async () => {
    clock = new Date('2025-10-14T12:00:00.000Z');
    await appendEvents(
      store,
      gazaOctober2025().filter((e) => recordedAt(e) > FIRST_DAY_END),
    );
    await catchUp();
    const compliance = await getCompliance(db.pool, AGREEMENT, clock);
    expect(compliance).not.toBeNull();
    const zero = {
      pending: 0,
      blocked: 0,
      in_progress: 0,
      overdue: 0,
      disputed: 0,
      fulfilled: 0,
      fulfilled_late: 0,
      breached: 0,
      suspended: 0,
      waived: 0,
    };
    const noViolations = {
      reported: 0,
      corroborated: 0,
      confirmed: 0,
      contested: 0,
      discounted: 0,
      retracted: 0,
    };
    const party = (id: string) => compliance?.parties.find((p) => p.partyId === id);
    expect(compliance).toMatchObject({
      agreementId: AGREEMENT,
      asOf: '2025-10-14T12:00:00.000Z',
      generatedFrom: 'projection',
    });
    expect(compliance?.lastPosition).toBeGreaterThan(0);
    expect(compliance?.parties.map((p) => p.partyId)).toEqual([
      'israel',
      'hamas',
      'us',
      'egypt',
      'qatar',
      'turkiye',
    ]);
    expect(party('hamas')).toEqual({
      partyId: 'hamas',
      obligations: { ...zero, total: 2, fulfilled: 1, overdue: 1 },
      complianceRate: 0.5,
      onTimeRate: 0.5,
      rateObligations: [],
      violations: { ...noViolations, contested: 1 },
      casualties: { killed: 0, injured: 0 },
      latestTallies: [],
    });
    expect(party('israel')).toEqual({
      partyId: 'israel',
      obligations: { ...zero, total: 2, blocked: 1, in_progress: 1 },
      // Rafah has no deadline yet and the trucks are a rate: nothing to judge.
      complianceRate: null,
      onTimeRate: null,
      rateObligations: [{ obligationId: 'aid-trucks', windowComplianceRate: 2 / 3 }],
      violations: { ...noViolations, corroborated: 1, confirmed: 1, discounted: 1 },
      // Incident reports not discounted: 1 + 5 killed, 4 injured; never added to the tallies.
      casualties: { killed: 6, injured: 4 },
      latestTallies: [
        {
          // A Source object, as every read model returns them (API.md "Sources").
          source: { name: 'Gaza Health Ministry', kind: 'official' },
          asOf: '2025-10-14T00:00:00.000Z',
          killed: 30,
          injured: 100,
        },
      ],
    });
    expect(party('us')?.complianceRate).toBeNull();
    expect(compliance?.tallies).toEqual([
      {
        source: { name: 'UN OCHA', kind: 'ngo' },
        asOf: '2025-10-13T00:00:00.000Z',
        killed: 25,
        injured: 90,
      },
    ]);
    expect(compliance?.phases).toEqual([
      {
        key: 'phase-1',
        startedAt: '2025-10-10T09:00:00.000Z',
        obligations: { ...zero, total: 4, fulfilled: 1, overdue: 1, blocked: 1, in_progress: 1 },
        progress: 0.25,
      },
      { key: 'phase-2', startedAt: null, obligations: { ...zero, total: 0 }, progress: null },
    ]);

    const trucks = await getObligation(db.pool, 'aid-trucks');
    expect(trucks?.windows?.map((w) => [w.start, w.delivered, w.met])).toEqual([
      ['2025-10-13T00:00:00.000Z', 650, true],
      ['2025-10-12T00:00:00.000Z', 450, false],
      ['2025-10-11T00:00:00.000Z', 600, true],
    ]);
    expect(trucks?.windowComplianceRate).toBeCloseTo(2 / 3);
  });

  it('computes compliance at a later time from the stored records when the rows are stale', async () => {
    // Two more short days (no deliveries) turn the truck rate overdue without any event.
    const later = await getCompliance(db.pool, AGREEMENT, new Date('2025-10-16T12:00:00.000Z'));
    expect(later?.parties[0].obligations.overdue).toBe(1);
    expect(later?.parties[0].rateObligations[0].windowComplianceRate).toBeCloseTo(2 / 5);
  });

  it('gives Rafah a deadline once the remains are all returned', async () => {
    clock = new Date('2025-10-20T12:00:00.000Z');
    await appendEvents(store, [
      progressReported('hostages-remains', 24, '2025-10-20T10:00:00.000Z'),
    ]);
    await catchUp();
    expect(await getObligation(db.pool, 'hostages-remains')).toMatchObject({
      status: 'fulfilled_late',
      late: true,
      fulfilledAt: '2025-10-20T10:00:00.000Z',
    });
    expect(await getObligation(db.pool, 'rafah-crossing')).toMatchObject({
      status: 'pending',
      dueAt: '2025-10-27T10:00:00.000Z',
      conditions: [{ obligationId: 'hostages-remains', status: 'fulfilled_late' }],
    });
    // And when that deadline passes, the sweep turns it overdue.
    clock = new Date('2025-10-28T00:00:00.000Z');
    await recomputeDueObligations(db.pool, clock);
    expect((await getObligation(db.pool, 'rafah-crossing'))?.status).toBe('overdue');
  });

  it('lists agreements, obligations, violations, stats and the timeline', async () => {
    const agreement = await getAgreement(db.pool, AGREEMENT);
    expect(agreement).toMatchObject({
      id: AGREEMENT,
      title: 'Gaza ceasefire (20-point plan)',
      effectiveAt: '2025-10-10T09:00:00.000Z',
      obligationCount: 4,
      violationCount: 4,
    });
    expect(agreement?.phases[0].startedAt).toBe('2025-10-10T09:00:00.000Z');
    expect((await listAgreements(db.pool)).items.map((a) => a.id)).toEqual([AGREEMENT]);
    expect(await getAgreement(db.pool, 'nope')).toBeNull();

    const page1 = await listObligations(db.pool, { agreementId: AGREEMENT }, null, 3);
    expect(page1.items.map((o) => o.id)).toEqual([
      'hostages-living',
      'hostages-remains',
      'rafah-crossing',
    ]);
    const page2 = await listObligations(db.pool, { agreementId: AGREEMENT }, page1.nextCursor, 3);
    expect(page2).toMatchObject({ items: [{ id: 'aid-trucks' }], nextCursor: null });
    expect(
      (await listObligations(db.pool, { partyId: 'israel', kind: 'aid_access' })).items.map(
        (o) => o.id,
      ),
    ).toEqual(['aid-trucks']);
    // By 28 October both Rafah and the (short) truck days are overdue.
    expect((await listObligations(db.pool, { status: 'overdue' })).items.map((o) => o.id)).toEqual([
      'rafah-crossing',
      'aid-trucks',
    ]);
    await expect(listObligations(db.pool, {}, 'garbage!')).rejects.toBeInstanceOf(InvalidCursor);
    await expect(
      listObligations(db.pool, {}, page1.nextCursor?.slice(0, -2) + 'zz'),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const violations = await listViolations(db.pool, { agreementId: AGREEMENT }, null, 2);
    expect(violations.items.map((v) => v.id)).toEqual(['strike-rafah', 'aid-obstruction']);
    const rest = await listViolations(
      db.pool,
      { agreementId: AGREEMENT },
      violations.nextCursor,
      2,
    );
    expect(rest.items.map((v) => v.id)).toEqual(['strikes-khan-younis', 'strike-gaza-city']);
    expect(rest.nextCursor).toBeNull();
    // An obligations cursor is no violations cursor.
    await expect(listViolations(db.pool, {}, page1.nextCursor)).rejects.toBeInstanceOf(
      InvalidCursor,
    );
    expect(
      (
        await listViolations(db.pool, {
          partyId: 'israel',
          from: '2025-10-12T00:00:00Z',
          to: '2025-10-13T00:00:00Z',
        })
      ).items.map((v) => v.id),
    ).toEqual(['strikes-khan-younis']);
    expect(
      (await listViolations(db.pool, { verification: 'corroborated' })).items.map((v) => v.id),
    ).toEqual(['strike-gaza-city']);
    expect(await getViolation(db.pool, 'strike-gaza-city')).toMatchObject({
      verification: 'corroborated',
      casualties: { killed: 1, injured: 4 },
      sources: [{ name: 'Gaza Health Ministry' }, { name: 'Reuters' }],
      reportedBy: { keyId: 'key-monitor', name: 'Field monitor' },
    });
    expect(await getViolation(db.pool, 'strikes-khan-younis')).toMatchObject({
      verification: 'confirmed',
      verificationNote: 'footage geolocated',
    });

    const daily = await violationStats(db.pool, AGREEMENT, { bucket: 'day' });
    expect(daily.items).toEqual([
      {
        bucketStart: '2025-10-11T00:00:00.000Z',
        partyId: 'israel',
        reports: 1,
        corroborated: 1,
        confirmed: 0,
        killed: 1,
        injured: 4,
      },
      {
        bucketStart: '2025-10-12T00:00:00.000Z',
        partyId: 'hamas',
        reports: 1,
        corroborated: 0,
        confirmed: 0,
        killed: 0,
        injured: 0,
      },
      {
        bucketStart: '2025-10-12T00:00:00.000Z',
        partyId: 'israel',
        reports: 1,
        corroborated: 1,
        confirmed: 1,
        killed: 5,
        injured: 0,
      },
    ]);
    const weekly = await violationStats(db.pool, AGREEMENT, { bucket: 'week', partyId: 'israel' });
    expect(weekly.items).toEqual([
      {
        bucketStart: '2025-10-06T00:00:00.000Z',
        partyId: 'israel',
        reports: 2,
        corroborated: 2,
        confirmed: 1,
        killed: 6,
        injured: 4,
      },
    ]);
    expect(
      (
        await violationStats(db.pool, AGREEMENT, {
          from: '2025-10-12T00:00:00Z',
          to: '2025-10-12T23:00:00Z',
        })
      ).items.length,
    ).toBe(2);

    const first = await timeline(db.pool, store, AGREEMENT, null, 5);
    expect(first.items[0]).toMatchObject({
      type: 'AgreementRegistered',
      streamId: `agreement-${AGREEMENT}`,
      occurredAt: '2025-10-10T09:00:00.000Z',
    });
    expect(first.items[0].summary).toContain('Field monitor (monitor) registered the agreement');
    let all = first.items;
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await timeline(db.pool, store, AGREEMENT, cursor, 5);
      all = all.concat(next.items);
      cursor = next.nextCursor;
    }
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    expect(all).toHaveLength(Number(rows[0].n));
    const strike = all.find((i) => i.type === 'ViolationReported');
    expect(strike).toMatchObject({
      summary:
        'Field monitor (monitor) reported an airstrike by israel at Gaza City on 11 October 2025, 14:00 UTC (report strike-gaza-city): 1 killed and 4 injured, citing Gaza Health Ministry (official).',
      recordedBy: { name: 'Field monitor', role: 'monitor' },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
      corrects: null,
    });
    // The source added later points back at the report it corroborates.
    expect(all.find((i) => i.type === 'ViolationSourceAdded')).toMatchObject({
      corrects: { position: strike?.position, type: 'ViolationReported' },
      sources: [{ name: 'Reuters', kind: 'media' }],
    });
  });

  it('reports each projection caught up with no lag', async () => {
    const status = await projectionStatus(db.pool);
    expect(status.map((s) => s.name).sort()).toEqual(PROJECTIONS.map((p) => p.name).sort());
    for (const s of status) {
      expect(s).toMatchObject({ state: 'live', lagEvents: 0, lagSeconds: 0 });
      expect(s.position).toBeGreaterThan(0);
    }
    await appendEvents(store, [progressReported('aid-trucks', 10, '2025-10-20T11:00:00.000Z')]);
    await waitForVisibleFeed(db.pool);
    const behind = await projectionStatus(db.pool);
    expect(behind.find((s) => s.name === 'obligations')?.lagEvents).toBe(1);
  });
});
