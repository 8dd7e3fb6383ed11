// Auditors' replay: the answers captured live at T are what `?asOf=T` gives back after more has
// been written (corrections, disputes, a verdict, more progress, a deadline passing), and
// `?occurredBefore` keeps only what had happened by then.
import type { ActorRole } from '@app/domain';
import {
  ApiHarness,
  october2025Agreement,
  startApi,
} from '../../../../../test/support/api-harness';

const AGREEMENT = 'gaza-2025-10';
const SOON_MS = 2_500;

describe('?asOf and ?occurredBefore on compliance, obligation and violation reads', () => {
  let api: ApiHarness;
  const post = (path: string, role: ActorRole, body: object) =>
    api.http().post(path).set(api.auth(role)).send(body);
  const get = (path: string, role: ActorRole = 'auditor') =>
    api.http().get(path).set(api.auth(role));

  let capturedAt: Date;
  let soonDue: Date;
  const live: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    api = await startApi();
    await post('/v1/agreements', 'coordinator', october2025Agreement(AGREEMENT)).expect(201);
    await post(`/v1/agreements/${AGREEMENT}/phases/phase-1/start`, 'coordinator', {
      startedAt: '2025-10-10T09:00:00Z',
    }).expect(200);
    await post(`/v1/agreements/${AGREEMENT}/obligations`, 'coordinator', {
      id: 'hostages',
      phaseKey: 'phase-1',
      kind: 'hostage_release',
      title: 'Return of all 20 living hostages within 72 hours',
      responsiblePartyId: 'hamas',
      dueWithin: { hours: 72, after: 'agreement_effective' },
      target: { quantity: 20, unit: 'hostages' },
    }).expect(201);
    soonDue = new Date(Date.now() + SOON_MS);
    await post(`/v1/agreements/${AGREEMENT}/obligations`, 'coordinator', {
      id: 'rafah',
      phaseKey: 'phase-1',
      kind: 'crossing_reopening',
      title: 'Reopening of the Rafah crossing',
      responsiblePartyId: 'israel',
      dueAt: soonDue.toISOString(),
    }).expect(201);
    await post('/v1/obligations/hostages/progress', 'monitor', {
      quantity: 7,
      occurredAt: '2025-10-13T06:00:00Z',
      source: 'ICRC',
    }).expect(200);
    await post('/v1/violations', 'monitor', {
      id: 'v-gaza-city',
      agreementId: AGREEMENT,
      occurredAt: '2025-10-28T18:30:00Z',
      location: { name: 'Gaza City', precision: 'approximate' },
      category: 'airstrike',
      allegedPartyId: 'israel',
      description: 'Airstrike on a residential building; one killed and four injured.',
      casualties: { killed: 1, injured: 4 },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
    }).expect(201);
    await post('/v1/violations', 'monitor', {
      id: 'v-aid',
      agreementId: AGREEMENT,
      occurredAt: '2025-10-20T12:00:00Z',
      location: { name: 'Gaza Strip', precision: 'region' },
      category: 'aid_obstruction',
      allegedPartyId: 'hamas',
      description: 'Aid deliveries obstructed.',
      sources: [{ name: 'COGAT', kind: 'party' }],
    }).expect(201);

    // The live answers at T: projected at T, compliance judged at T.
    capturedAt = new Date();
    await api.project(() => capturedAt);
    live.compliance = (
      await get(`/v1/agreements/${AGREEMENT}/compliance`, 'reader').expect(200)
    ).body;
    live.hostages = (await get('/v1/obligations/hostages', 'reader').expect(200)).body;
    live.rafah = (await get('/v1/obligations/rafah', 'reader').expect(200)).body;
    live.violation = (await get('/v1/violations/v-gaza-city', 'reader').expect(200)).body;
    capturedAt = new Date(live.compliance.asOf as string);

    // After T: a correction, a second source, a dispute, a verdict, more progress, a new report,
    // and the Rafah deadline passes.
    await new Promise((r) => setTimeout(r, 20));
    await post('/v1/violations/v-gaza-city/casualties', 'monitor', {
      killed: 3,
      injured: 4,
      reason: 'Two more died of their wounds',
      source: 'Gaza Health Ministry',
    }).expect(200);
    await post('/v1/violations/v-gaza-city/sources', 'monitor', {
      name: 'Reuters',
      kind: 'media',
    }).expect(200);
    await post('/v1/violations/v-gaza-city/disputes', 'verifier', {
      partyId: 'israel',
      statement: 'The strike targeted a militant cell.',
    }).expect(200);
    await post('/v1/violations/v-aid/verification', 'verifier', {
      outcome: 'discounted',
      note: 'No corroboration',
    }).expect(200);
    await post('/v1/obligations/hostages/progress', 'monitor', {
      quantity: 13,
      occurredAt: '2025-10-13T08:00:00Z',
      source: 'ICRC',
    }).expect(200);
    await post('/v1/violations', 'monitor', {
      id: 'v-khan-younis',
      agreementId: AGREEMENT,
      occurredAt: '2025-10-29T07:00:00Z',
      location: { name: 'Khan Younis', precision: 'approximate' },
      category: 'airstrike',
      allegedPartyId: 'israel',
      description: 'Strikes on Khan Younis; five killed.',
      casualties: { killed: 5, injured: 0 },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
    }).expect(201);
    await new Promise((r) => setTimeout(r, Math.max(0, soonDue.getTime() - Date.now() + 50)));
    await api.project();
  });
  afterAll(() => api.close());

  it('the live answers have moved on since T', async () => {
    const now = (await get(`/v1/agreements/${AGREEMENT}/compliance`).expect(200)).body;
    expect(now).not.toEqual({ ...live.compliance, asOf: now.asOf });
    expect((await get('/v1/obligations/rafah').expect(200)).body.status).toBe('overdue');
    expect(live.rafah.status).toBe('pending');
  });

  it('asOf=T gives back exactly what was shown at T', async () => {
    const asOf = encodeURIComponent(capturedAt.toISOString());
    const compliance = (
      await get(`/v1/agreements/${AGREEMENT}/compliance?asOf=${asOf}`).expect(200)
    ).body;
    expect(compliance).toEqual({ ...live.compliance, generatedFrom: 'replay' });
    for (const id of ['hostages', 'rafah']) {
      const replayed = (await get(`/v1/obligations/${id}?asOf=${asOf}`).expect(200)).body;
      expect(replayed).toEqual({ ...live[id], generatedFrom: 'replay' });
    }
    const violation = (await get(`/v1/violations/v-gaza-city?asOf=${asOf}`).expect(200)).body;
    expect(violation).toEqual({ ...live.violation, generatedFrom: 'replay' });
    // Not yet reported at T.
    await get(`/v1/violations/v-khan-younis?asOf=${asOf}`).expect(404);
  });

  it('occurredBefore keeps what had happened by then, as known now', async () => {
    const t = '2025-10-25T00:00:00Z';
    const compliance = (
      await get(`/v1/agreements/${AGREEMENT}/compliance?occurredBefore=${t}`).expect(200)
    ).body;
    expect(compliance.asOf).toBe('2025-10-25T00:00:00.000Z');
    expect(compliance.generatedFrom).toBe('replay');
    const israel = compliance.parties.find((p: { partyId: string }) => p.partyId === 'israel');
    const hamas = compliance.parties.find((p: { partyId: string }) => p.partyId === 'hamas');
    // The airstrikes of 28 and 29 October had not happened; the aid report had, and is
    // discounted as known now.
    expect(israel.violations.reported + israel.violations.contested).toBe(0);
    expect(hamas.violations.discounted).toBe(1);
    // Both progress reports occurred on 13 October: 20 of 20, fulfilled (as known now).
    const hostages = (await get(`/v1/obligations/hostages?occurredBefore=${t}`).expect(200)).body;
    expect(hostages.delivered).toBe(20);
    // Before 13 October, nothing had been delivered.
    const early = (
      await get('/v1/obligations/hostages?occurredBefore=2025-10-12T00:00:00Z').expect(200)
    ).body;
    expect(early.delivered).toBe(0);
    await get(`/v1/violations/v-gaza-city?occurredBefore=${t}`).expect(404);
  });

  it('combined: asOf T and occurredBefore', async () => {
    const asOf = encodeURIComponent(capturedAt.toISOString());
    const hostages = (
      await get(`/v1/obligations/hostages?asOf=${asOf}&occurredBefore=2025-10-25T00:00:00Z`).expect(
        200,
      )
    ).body;
    expect(hostages.delivered).toBe(7);
  });

  it('is for auditors, and refuses bad times', async () => {
    const asOf = encodeURIComponent(capturedAt.toISOString());
    for (const role of ['reader', 'monitor', 'verifier', 'coordinator'] as const) {
      const res = await get(`/v1/agreements/${AGREEMENT}/compliance?asOf=${asOf}`, role);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    await get(`/v1/obligations/hostages?asOf=${asOf}`, 'admin').expect(200);
    for (const bad of ['yesterday', '2025-10-25', '2025-10-25T00:00:00', '']) {
      const res = await get(`/v1/violations/v-aid?asOf=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await get(`/v1/agreements/${AGREEMENT}/compliance?asOf=${future}`).expect(400);
    await get(`/v1/agreements/${AGREEMENT}/compliance?since=${asOf}`).expect(400);
    await get(`/v1/agreements/unknown/compliance?asOf=${asOf}`).expect(404);
  });
});
