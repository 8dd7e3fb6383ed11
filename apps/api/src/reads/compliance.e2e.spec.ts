// The October 2025 agreement (DOMAIN.md) written through the write API, projected, and read back
// as the dashboard's compliance figures.
import type { ActorRole } from '@app/domain';
import { recomputeDueObligations } from '@app/projections';
import {
  ApiHarness,
  gazaCityAirstrike,
  october2025Agreement,
  startApi,
} from '../../../../test/support/api-harness';

const AGREEMENT = 'gaza-2025-10';
const PROJECTED_AT = new Date('2026-02-01T00:00:00Z');
const DAY_MS = 86_400_000;
// The trucks obligation is due 2025-10-10T09:00Z: its first daily window starts the next midnight.
const FIRST_TRUCK_WINDOW = Date.parse('2025-10-11T00:00:00Z');
/** Complete daily windows of the trucks obligation at `t`. */
const completeTruckWindows = (t: number) => Math.floor((t - FIRST_TRUCK_WINDOW) / DAY_MS);

const obligations = [
  {
    id: 'hostages',
    phaseKey: 'phase-1',
    kind: 'hostage_release',
    title: 'Return of all 20 living hostages within 72 hours',
    responsiblePartyId: 'hamas',
    beneficiaryPartyId: 'israel',
    dueWithin: { hours: 72, after: 'agreement_effective' },
    target: { quantity: 20, unit: 'hostages' },
  },
  {
    id: 'remains',
    phaseKey: 'phase-1',
    kind: 'remains_return',
    title: 'Return of the remains of all 28 deceased hostages within 72 hours',
    responsiblePartyId: 'hamas',
    beneficiaryPartyId: 'israel',
    dueWithin: { hours: 72, after: 'agreement_effective' },
    target: { quantity: 28, unit: 'remains' },
  },
  {
    id: 'rafah',
    phaseKey: 'phase-1',
    kind: 'crossing_reopening',
    title: 'Reopening of the Rafah crossing in both directions',
    responsiblePartyId: 'israel',
    conditions: ['remains'],
    dueWithin: { hours: 168, after: 'conditions_met' },
  },
  {
    id: 'aid-trucks',
    phaseKey: 'phase-1',
    kind: 'aid_access',
    title: 'At least 600 aid trucks a day',
    responsiblePartyId: 'israel',
    dueAt: '2025-10-10T09:00:00Z',
    target: { quantity: 600, unit: 'trucks', per: 'day' },
  },
  {
    id: 'prisoners',
    phaseKey: 'phase-1',
    kind: 'prisoner_release',
    title: 'Release of 250 prisoners serving life sentences and 1,700 detainees from Gaza',
    responsiblePartyId: 'israel',
    beneficiaryPartyId: 'hamas',
    dueWithin: { hours: 72, after: 'agreement_effective' },
    target: { quantity: 1950, unit: 'prisoners' },
  },
  {
    id: 'disarmament',
    phaseKey: 'phase-2',
    kind: 'disarmament',
    title: 'Disarmament of Hamas and other factions',
    responsiblePartyId: 'hamas',
    dueWithin: { hours: 2160, after: 'phase_start' },
  },
];

const progress: Array<[string, number, string]> = [
  ['hostages', 7, '2025-10-13T06:00:00Z'],
  ['hostages', 13, '2025-10-13T08:00:00Z'],
  ['remains', 4, '2025-10-13T07:00:00Z'],
  ['aid-trucks', 600, '2025-10-11T10:00:00Z'],
  ['aid-trucks', 450, '2025-10-12T10:00:00Z'],
  ['aid-trucks', 700, '2025-10-13T10:00:00Z'],
  ['aid-trucks', 300, '2025-10-14T10:00:00Z'],
  // The last of the prisoners three hours after the deadline.
  ['prisoners', 1950, '2025-10-13T12:00:00Z'],
];

/** The Gaza City airstrike with one source, changed by `change`. */
const violation = (id: string, change: Record<string, unknown> = {}) => ({
  ...gazaCityAirstrike(id, AGREEMENT),
  sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
  ...change,
});

describe('GET /v1/agreements/:id/compliance (October 2025 agreement)', () => {
  let api: ApiHarness;
  const post = (path: string, role: ActorRole, body: object) =>
    api.http().post(path).set(api.auth(role)).send(body);

  beforeAll(async () => {
    api = await startApi();
    await post('/v1/agreements', 'coordinator', october2025Agreement(AGREEMENT)).expect(201);
    await post(`/v1/agreements/${AGREEMENT}/phases/phase-1/start`, 'coordinator', {
      startedAt: '2025-10-10T09:00:00Z',
    }).expect(200);
    for (const o of obligations) {
      await post(`/v1/agreements/${AGREEMENT}/obligations`, 'coordinator', o).expect(201);
    }
    for (const [id, quantity, occurredAt] of progress) {
      await post(`/v1/obligations/${id}/progress`, 'monitor', {
        quantity,
        occurredAt,
        source: 'ICRC',
      }).expect(200);
    }
    await post('/v1/obligations/hostages/verification', 'verifier', {
      outcome: 'verified',
      note: 'ICRC confirmed the handover of all 20 living hostages',
      occurredAt: '2025-10-13T08:30:00Z',
    }).expect(200);

    // Incident reports: corroborated by two independence groups, single-sourced, disputed by the
    // accused party, and discounted by a verifier.
    await post(
      '/v1/violations',
      'monitor',
      violation('v-gaza-city', {
        sources: [
          { name: 'Gaza Health Ministry', kind: 'official' },
          { name: 'Reuters', kind: 'media' },
        ],
      }),
    ).expect(201);
    await post(
      '/v1/violations',
      'monitor',
      violation('v-khan-younis', {
        occurredAt: '2025-10-29T07:00:00Z',
        location: { name: 'Khan Younis', lat: 31.3462, lon: 34.3063, precision: 'approximate' },
        description: 'Strikes on Khan Younis; five killed.',
        casualties: { killed: 5, injured: 0 },
      }),
    ).expect(201);
    await post(
      '/v1/violations',
      'monitor',
      violation('v-aid', {
        occurredAt: '2025-10-20T12:00:00Z',
        location: { name: 'Gaza Strip', precision: 'region' },
        category: 'aid_obstruction',
        allegedPartyId: 'hamas',
        description: 'Israel says Hamas obstructed humanitarian aid deliveries.',
        casualties: { killed: 0, injured: 0 },
        sources: [{ name: 'COGAT', kind: 'party' }],
      }),
    ).expect(201);
    await post('/v1/violations/v-aid/disputes', 'verifier', {
      partyId: 'hamas',
      statement: 'Hamas denies obstructing aid.',
    }).expect(200);
    await post(
      '/v1/violations',
      'monitor',
      violation('v-shooting', {
        occurredAt: '2025-11-02T15:00:00Z',
        category: 'shooting',
        description: 'Shooting near the yellow line; two killed.',
        casualties: { killed: 2, injured: 0 },
        sources: [{ name: 'Local media', kind: 'media' }],
      }),
    ).expect(201);
    await post('/v1/violations/v-shooting/verification', 'verifier', {
      outcome: 'discounted',
      note: 'The incident predates the ceasefire.',
    }).expect(200);
    // A later confirmation does not undo the discount (API.md: `discounted` > `confirmed`).
    await post('/v1/violations/v-shooting/verification', 'verifier', {
      outcome: 'confirmed',
      note: 'A second witness confirms the shooting.',
    }).expect(200);

    // Cumulative tallies: never added to the incident reports.
    const ministry = { name: 'Gaza Health Ministry', kind: 'official' };
    await post(`/v1/agreements/${AGREEMENT}/casualty-tallies`, 'monitor', {
      source: ministry,
      asOf: '2025-11-10T00:00:00Z',
      killed: 242,
      injured: 0,
      attributedToPartyId: 'israel',
      note: 'At least 242 killed since 10 October; injured not given',
    }).expect(201);
    await post(`/v1/agreements/${AGREEMENT}/casualty-tallies`, 'monitor', {
      source: ministry,
      asOf: '2026-01-25T00:00:00Z',
      killed: 484,
      injured: 1321,
      attributedToPartyId: 'israel',
    }).expect(201);
    await post(`/v1/agreements/${AGREEMENT}/casualty-tallies`, 'monitor', {
      source: 'Test monitor (unattributed)',
      asOf: '2025-12-01T00:00:00Z',
      killed: 10,
      injured: 20,
    }).expect(201);

    await api.project(() => PROJECTED_AT);
  });
  afterAll(() => api.close());

  it('counts each party’s obligations by status and rates them by the D rule', async () => {
    // getCompliance judges at the request's time (the real clock), not at the projection's clock:
    // statuses that time can move (the daily truck windows) are recomputed for now.
    const before = Date.now();
    const res = await api
      .http()
      .get(`/v1/agreements/${AGREEMENT}/compliance`)
      .set(api.auth('reader'))
      .expect(200);
    const after = Date.now();
    const body = res.body;
    expect(body).toMatchObject({ agreementId: AGREEMENT, generatedFrom: 'projection' });
    expect(Date.parse(body.asOf)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(body.asOf)).toBeLessThanOrEqual(after);
    expect(body.lastPosition).toBeGreaterThan(0);
    expect(body.parties.map((p: { partyId: string }) => p.partyId)).toEqual([
      'israel',
      'hamas',
      'us',
      'egypt',
    ]);
    const party = (id: string) => body.parties.find((p: { partyId: string }) => p.partyId === id);
    const zeroStatuses = {
      total: 0,
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
    const zeroLevels = {
      reported: 0,
      corroborated: 0,
      confirmed: 0,
      contested: 0,
      discounted: 0,
      retracted: 0,
    };

    // Hamas: the living hostages on time, the remains overdue (4 of 28); disarmament waits for
    // phase 2 to start, so it is not yet judged: D = 2.
    expect(party('hamas')).toEqual({
      partyId: 'hamas',
      obligations: { ...zeroStatuses, total: 3, fulfilled: 1, overdue: 1, pending: 1 },
      complianceRate: 0.5,
      onTimeRate: 0.5,
      rateObligations: [],
      violations: { ...zeroLevels, contested: 1 },
      casualties: { killed: 0, injured: 0 },
      latestTallies: [],
    });

    // Israel: prisoners released late; Rafah blocked on the remains (no deadline yet) and the
    // trucks (a rate) are left out of D: D = 1.
    const israel = party('israel');
    expect(israel).toMatchObject({
      obligations: { ...zeroStatuses, total: 3, fulfilled_late: 1, blocked: 1, overdue: 1 },
      complianceRate: 1,
      onTimeRate: 0,
      violations: { ...zeroLevels, reported: 1, corroborated: 1, discounted: 1 },
      // Incident reports only (1 + 5 killed; the discounted report's 2 are left out) ...
      casualties: { killed: 6, injured: 4 },
      // ... and the ministry's cumulative tally beside them, its newest figure only.
      latestTallies: [
        {
          source: { name: 'Gaza Health Ministry', kind: 'official' },
          asOf: '2026-01-25T00:00:00.000Z',
          killed: 484,
          injured: 1321,
        },
      ],
    });
    // Two of the complete daily windows met (600 and 700); every one since was short.
    expect(israel.rateObligations).toHaveLength(1);
    expect(israel.rateObligations[0].obligationId).toBe('aid-trucks');
    expect([2 / completeTruckWindows(before), 2 / completeTruckWindows(after)]).toContain(
      israel.rateObligations[0].windowComplianceRate,
    );

    for (const id of ['us', 'egypt']) {
      expect(party(id)).toMatchObject({
        obligations: zeroStatuses,
        complianceRate: null,
        onTimeRate: null,
        violations: zeroLevels,
        casualties: { killed: 0, injured: 0 },
        latestTallies: [],
      });
    }
    // Recorded with a bare name, returned as a Source object (API.md "Sources").
    expect(body.tallies).toEqual([
      {
        source: { name: 'Test monitor (unattributed)' },
        asOf: '2025-12-01T00:00:00.000Z',
        killed: 10,
        injured: 20,
      },
    ]);
  });

  it('reports each phase’s progress as the share of its obligations fulfilled', async () => {
    const { body } = await api
      .http()
      .get(`/v1/agreements/${AGREEMENT}/compliance`)
      .set(api.auth('reader'))
      .expect(200);
    expect(body.phases).toEqual([
      {
        key: 'phase-1',
        startedAt: '2025-10-10T09:00:00.000Z',
        obligations: expect.objectContaining({
          total: 5,
          fulfilled: 1,
          fulfilled_late: 1,
          overdue: 2,
          blocked: 1,
        }),
        progress: 0.4,
      },
      {
        key: 'phase-2',
        startedAt: null,
        obligations: expect.objectContaining({ total: 1, pending: 1 }),
        progress: 0,
      },
    ]);
  });

  it('shows the trucks’ daily windows, most recent first, as projected on 1 February 2026', async () => {
    const { body } = await api
      .http()
      .get('/v1/obligations/aid-trucks')
      .set(api.auth('reader'))
      .expect(200);
    const windows = completeTruckWindows(PROJECTED_AT.getTime());
    expect(body).toMatchObject({
      id: 'aid-trucks',
      status: 'overdue',
      target: { quantity: 600, unit: 'trucks', per: 'day' },
      windowComplianceRate: 2 / windows,
    });
    expect(body.windows).toHaveLength(windows);
    expect(body.windows.slice(-4)).toEqual([
      {
        start: '2025-10-14T00:00:00.000Z',
        end: '2025-10-15T00:00:00.000Z',
        delivered: 300,
        target: 600,
        met: false,
      },
      {
        start: '2025-10-13T00:00:00.000Z',
        end: '2025-10-14T00:00:00.000Z',
        delivered: 700,
        target: 600,
        met: true,
      },
      {
        start: '2025-10-12T00:00:00.000Z',
        end: '2025-10-13T00:00:00.000Z',
        delivered: 450,
        target: 600,
        met: false,
      },
      {
        start: '2025-10-11T00:00:00.000Z',
        end: '2025-10-12T00:00:00.000Z',
        delivered: 600,
        target: 600,
        met: true,
      },
    ]);
  });

  it('shows the hostages fulfilled on time and Rafah blocked on the remains', async () => {
    const get = async (id: string) =>
      (await api.http().get(`/v1/obligations/${id}`).set(api.auth('reader')).expect(200)).body;
    expect(await get('hostages')).toMatchObject({
      status: 'fulfilled',
      delivered: 20,
      progress: 1,
      dueAt: '2025-10-13T09:00:00.000Z',
      late: false,
    });
    expect(await get('remains')).toMatchObject({ status: 'overdue', delivered: 4 });
    expect(await get('rafah')).toMatchObject({
      status: 'blocked',
      dueAt: null,
      conditions: [{ obligationId: 'remains', status: 'overdue' }],
    });
    expect(await get('prisoners')).toMatchObject({ status: 'fulfilled_late', late: true });
  });

  it('answers 404 for an unknown agreement, 403 for a reader asking for a replay, 401 without a key', async () => {
    const res = await api
      .http()
      .get('/v1/agreements/no-such-agreement/compliance')
      .set(api.auth('reader'))
      .expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    await api
      .http()
      .get(`/v1/agreements/${AGREEMENT}/compliance?asOf=2025-11-01T00:00:00Z`)
      .set(api.auth('reader'))
      .expect(403);
    await api.http().get(`/v1/agreements/${AGREEMENT}/compliance`).expect(401);
  });

  it('counts the reports per day and alleged party, leaving out the discounted one', async () => {
    const { body } = await api
      .http()
      .get(`/v1/agreements/${AGREEMENT}/violations/stats?bucket=day`)
      .set(api.auth('reader'))
      .expect(200);
    expect(body.items).toEqual([
      {
        bucketStart: '2025-10-20T00:00:00.000Z',
        partyId: 'hamas',
        reports: 1,
        corroborated: 0,
        confirmed: 0,
        killed: 0,
        injured: 0,
      },
      {
        bucketStart: '2025-10-28T00:00:00.000Z',
        partyId: 'israel',
        reports: 1,
        corroborated: 1,
        confirmed: 0,
        killed: 1,
        injured: 4,
      },
      {
        bucketStart: '2025-10-29T00:00:00.000Z',
        partyId: 'israel',
        reports: 1,
        corroborated: 0,
        confirmed: 0,
        killed: 5,
        injured: 0,
      },
    ]);
    const weekly = await api
      .http()
      .get(
        `/v1/agreements/${AGREEMENT}/violations/stats?bucket=week&partyId=israel&from=2025-10-27T00:00:00Z&to=2025-11-03T00:00:00Z`,
      )
      .set(api.auth('reader'))
      .expect(200);
    expect(weekly.body.items).toEqual([
      {
        bucketStart: '2025-10-27T00:00:00.000Z',
        partyId: 'israel',
        reports: 2,
        corroborated: 1,
        confirmed: 0,
        killed: 6,
        injured: 4,
      },
    ]);
  });

  it('keeps a report confirmed after its discount discounted, with the discount’s note', async () => {
    const { body } = await api
      .http()
      .get('/v1/violations/v-shooting')
      .set(api.auth('reader'))
      .expect(200);
    expect(body).toMatchObject({
      verification: 'discounted',
      verificationNote: 'The incident predates the ceasefire.',
    });
  });

  it('counts only the reports that occurred from `from` on, to the millisecond, not from its day', async () => {
    // v-gaza-city occurred at 18:30 on 28 October: a `from` of 19:00 that day leaves it out.
    const stats = async (from: string) =>
      (
        await api
          .http()
          .get(
            `/v1/agreements/${AGREEMENT}/violations/stats?bucket=day&partyId=israel&from=${from}&to=2025-10-29T12:00:00Z`,
          )
          .set(api.auth('reader'))
          .expect(200)
      ).body.items.map((i: { bucketStart: string; reports: number }) => [i.bucketStart, i.reports]);
    expect(await stats('2025-10-28T18:00:00Z')).toEqual([
      ['2025-10-28T00:00:00.000Z', 1],
      ['2025-10-29T00:00:00.000Z', 1],
    ]);
    expect(await stats('2025-10-28T19:00:00Z')).toEqual([['2025-10-29T00:00:00.000Z', 1]]);
  });

  it('serves a repeat from the process cache (counted in /metrics), and a new report once projected', async () => {
    // The worker's sweep brings every stored status up to now: from then on answers can be kept.
    await recomputeDueObligations(api.db.pool, new Date());
    const read = async () =>
      (
        await api
          .http()
          .get(`/v1/agreements/${AGREEMENT}/compliance`)
          .set(api.auth('reader'))
          .expect(200)
      ).body as { asOf: string; parties: Array<{ partyId: string; violations: object }> };
    const lookups = async (result: 'hit' | 'miss') => {
      const { text } = await api.http().get('/metrics').expect(200);
      const line = new RegExp(
        `ceasefire_compliance_cache_lookups_total\\{result="${result}"\\} (\\d+)`,
      );
      return Number(line.exec(text)?.[1] ?? 0);
    };
    const reports = (body: Awaited<ReturnType<typeof read>>) =>
      Object.values(body.parties.find((p) => p.partyId === 'israel')?.violations ?? {}).reduce(
        (sum: number, n: number) => sum + n,
        0,
      );

    const first = await read();
    const hits = await lookups('hit');
    const again = await read();
    expect(await lookups('hit')).toBe(hits + 1);
    expect({ ...again, asOf: first.asOf }).toEqual(first);

    await post(
      '/v1/violations',
      'monitor',
      violation('v-after-cache', { occurredAt: '2025-11-20T10:00:00Z' }),
    ).expect(201);
    await api.project();
    const misses = await lookups('miss');
    const after = await read();
    expect(await lookups('miss')).toBe(misses + 1);
    expect(reports(after)).toBe(reports(first) + 1);
  });
});
