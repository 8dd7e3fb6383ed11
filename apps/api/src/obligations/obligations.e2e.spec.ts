import type { ActorRole } from '@app/domain';
import {
  ApiHarness,
  gazaCityAirstrike,
  october2025Agreement,
  startApi,
} from '../../../../test/support/api-harness';

// The October 2025 agreement (DOMAIN.md): all hostages, living and dead, within 72 hours of the
// ceasefire; Rafah reopening linked to the return of the remains; at least 600 trucks a day.
const AGREEMENT = 'gaza-2025-10';
const OTHER_AGREEMENT = 'gaza-2025-01';
const FUTURE = '2099-01-01T00:00:00Z';

const hostages = (id = 'hostages') => ({
  id,
  phaseKey: 'phase-1',
  kind: 'hostage_release',
  title: 'Return of all 20 living hostages within 72 hours',
  description: 'All living hostages are released within 72 hours of the ceasefire taking effect.',
  clause: 'Point 4',
  responsiblePartyId: 'hamas',
  beneficiaryPartyId: 'israel',
  dueWithin: { hours: 72, after: 'agreement_effective' },
  target: { quantity: 20, unit: 'hostages' },
  sources: ['Reuters'],
});

const remains = (id = 'remains') => ({
  id,
  phaseKey: 'phase-1',
  kind: 'remains_return',
  title: 'Return of the remains of all 28 deceased hostages within 72 hours',
  responsiblePartyId: 'hamas',
  beneficiaryPartyId: 'israel',
  dueWithin: { hours: 72, after: 'agreement_effective' },
  target: { quantity: 28, unit: 'remains' },
});

const rafah = (id = 'rafah', conditions: string[] = ['remains']) => ({
  id,
  phaseKey: 'phase-1',
  kind: 'crossing_reopening',
  title: 'Reopening of the Rafah crossing in both directions',
  responsiblePartyId: 'israel',
  beneficiaryPartyId: 'hamas',
  conditions,
  dueWithin: { hours: 168, after: 'conditions_met' },
  terms: {
    directions: ['exit', 'entry'],
    operatedBy: 'Palestinian Authority staff with EU monitors',
  },
  sources: [{ name: 'Al Jazeera', kind: 'media', url: 'https://www.aljazeera.com/' }],
});

const trucks = (id = 'aid-trucks') => ({
  id,
  phaseKey: 'phase-1',
  kind: 'aid_access',
  title: 'At least 600 aid trucks a day',
  responsiblePartyId: 'israel',
  dueAt: '2025-10-10T09:00:00Z',
  target: { quantity: 600, unit: 'trucks', per: 'day' },
});

describe('obligations (HTTP)', () => {
  let api: ApiHarness;

  const register = (body: object, agreementId = AGREEMENT, role: ActorRole = 'coordinator') =>
    api.http().post(`/v1/agreements/${agreementId}/obligations`).set(api.auth(role)).send(body);
  const act = (obligationId: string, action: string, role: ActorRole, body: object) =>
    api.http().post(`/v1/obligations/${obligationId}/${action}`).set(api.auth(role)).send(body);
  const eventsOf = async (obligationId: string) =>
    (
      await api
        .http()
        .get(`/v1/streams/obligation-${obligationId}/events`)
        .set(api.auth('auditor'))
        .expect(200)
    ).body.items;
  const actorOf = (role: ActorRole) => ({
    keyId: api.keyIds[role],
    name: `e2e ${role}`,
    role,
  });
  /**
   * Sends the request, expects a 400 VALIDATION_FAILED whose message names one of the fields
   * changed (so it fails for the reason the test means), and checks that nothing was written.
   */
  const expectRefused = async (
    send: () => PromiseLike<{ status: number; body: { message?: unknown } }>,
    fields: string[],
  ) => {
    const before = await api.eventCount();
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
    });
    const message = JSON.stringify(res.body.message);
    expect(fields.some((field) => message.includes(field))).toBe(true);
    expect(await api.eventCount()).toBe(before);
  };
  /** Sends the request, expects a 422 RULE_VIOLATED, and checks that nothing was written. */
  const expectRuleViolated = async (send: () => PromiseLike<{ status: number; body: unknown }>) => {
    const before = await api.eventCount();
    const res = await send();
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'RULE_VIOLATED' });
    expect(await api.eventCount()).toBe(before);
  };

  beforeAll(async () => {
    api = await startApi();
    for (const id of [AGREEMENT, OTHER_AGREEMENT]) {
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement(id))
        .expect(201);
    }
    await register(remains('other-remains'), OTHER_AGREEMENT).expect(201);
  });
  afterAll(() => api.close());

  describe('POST /v1/agreements/:id/obligations', () => {
    it('registers the 20 living hostages, due 72 hours after the agreement took effect', async () => {
      const res = await api
        .http()
        .post(`/v1/agreements/${AGREEMENT}/obligations`)
        .set(api.auth('coordinator'))
        .set('X-Request-Id', 'req-hostages-1')
        .send(hostages())
        .expect(201);
      expect(res.body).toEqual({
        id: 'hostages',
        streamId: 'obligation-hostages',
        streamVersion: 1,
        position: expect.any(Number),
      });
      const events = await eventsOf('hostages');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'ObligationRegistered',
        schemaVersion: 1,
        streamVersion: 1,
        data: {
          obligationId: 'hostages',
          agreementId: AGREEMENT,
          phaseKey: 'phase-1',
          kind: 'hostage_release',
          title: 'Return of all 20 living hostages within 72 hours',
          clause: 'Point 4',
          responsiblePartyId: 'hamas',
          beneficiaryPartyId: 'israel',
          dueAt: null,
          dueWithin: { hours: 72, after: 'agreement_effective' },
          target: { quantity: 20, unit: 'hostages' },
          conditions: [],
          terms: null,
          sources: [{ name: 'Reuters' }],
        },
        metadata: { actor: actorOf('coordinator'), correlationId: 'req-hostages-1' },
      });
    });

    it('registers the 28 remains and the Rafah crossing conditioned on them, due 7 days after', async () => {
      await register(remains()).expect(201);
      const res = await register(rafah()).expect(201);
      expect(res.body).toMatchObject({ id: 'rafah', streamId: 'obligation-rafah' });
      const [registered] = await eventsOf('rafah');
      expect(registered).toMatchObject({
        type: 'ObligationRegistered',
        data: {
          kind: 'crossing_reopening',
          responsiblePartyId: 'israel',
          conditions: ['remains'],
          dueWithin: { hours: 168, after: 'conditions_met' },
          target: null,
          terms: {
            directions: ['exit', 'entry'],
            operatedBy: 'Palestinian Authority staff with EU monitors',
          },
          sources: [{ name: 'Al Jazeera', kind: 'media', url: 'https://www.aljazeera.com/' }],
        },
        metadata: { actor: actorOf('coordinator') },
      });
    });

    it('registers 600 trucks a day as a rate obligation with an absolute start', async () => {
      await register(trucks()).expect(201);
      const [registered] = await eventsOf('aid-trucks');
      expect(registered.data).toMatchObject({
        kind: 'aid_access',
        dueAt: '2025-10-10T09:00:00.000Z',
        dueWithin: null,
        target: { quantity: 600, unit: 'trucks', per: 'day' },
      });
    });

    it('accepts conditions that have conditions of their own', async () => {
      await register({ ...remains('chain-a'), conditions: [] }).expect(201);
      await register(rafah('chain-b', ['chain-a'])).expect(201);
      await register(rafah('chain-c', ['chain-b', 'chain-a'])).expect(201);
      const [registered] = await eventsOf('chain-c');
      expect(registered.data.conditions).toEqual(['chain-b', 'chain-a']);
    });

    it('makes an id when the client gives none', async () => {
      const { id: _id, ...body } = hostages();
      const res = await register(body).expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.streamId).toBe(`obligation-${res.body.id}`);
    });

    it('answers 401 without a key and with an unknown key', async () => {
      await api
        .http()
        .post(`/v1/agreements/${AGREEMENT}/obligations`)
        .send(hostages('o-401'))
        .expect(401);
      const res = await api
        .http()
        .post(`/v1/agreements/${AGREEMENT}/obligations`)
        .set('Authorization', 'Bearer nope')
        .send(hostages('o-401'))
        .expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it.each(['reader', 'monitor', 'verifier', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        const res = await register(hostages('o-403'), AGREEMENT, role).expect(403);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
      },
    );

    it.each([
      [
        'both dueAt and dueWithin',
        { dueAt: '2025-10-13T09:00:00Z', dueWithin: { hours: 72, after: 'agreement_effective' } },
      ],
      ['a target quantity of 0', { target: { quantity: 0, unit: 'hostages' } }],
      ['a negative target quantity', { target: { quantity: -5, unit: 'hostages' } }],
      ['a fractional target quantity', { target: { quantity: 2.5, unit: 'hostages' } }],
      ['a target quantity too large', { target: { quantity: 10_000_001, unit: 'hostages' } }],
      ['a target without a unit', { target: { quantity: 20 } }],
      ['a unit too long', { target: { quantity: 20, unit: 'x'.repeat(51) } }],
      ['an unknown rate period', { target: { quantity: 600, unit: 'trucks', per: 'month' } }],
      ['an unknown field in the target', { target: { quantity: 20, unit: 'h', extra: true } }],
      ['dueWithin of 0 hours', { dueWithin: { hours: 0, after: 'agreement_effective' } }],
      ['dueWithin too long', { dueWithin: { hours: 100_001, after: 'agreement_effective' } }],
      ['an unknown deadline anchor', { dueWithin: { hours: 72, after: 'sunrise' } }],
      ['dueWithin that is not an object', { dueWithin: 72 }],
      ['a dueAt without a zone', { dueWithin: undefined, dueAt: '2025-10-13T09:00:00' }],
      ['an impossible dueAt', { dueWithin: undefined, dueAt: '2025-02-30T09:00:00Z' }],
      ['an unknown kind', { kind: 'tribute' }],
      ['no kind', { kind: undefined }],
      ['no title', { title: undefined }],
      ['a title too long', { title: 'x'.repeat(301) }],
      ['a description too long', { description: 'x'.repeat(10_001) }],
      ['a malformed party id', { responsiblePartyId: 'Hamas!' }],
      ['a malformed phase key', { phaseKey: 'Phase 1' }],
      ['a bad id', { id: 'Not An Id!' }],
      ['an unknown field', { colour: 'blue' }],
      ['conditions that are not a list', { conditions: 'remains' }],
      ['a malformed condition id', { conditions: ['Not An Id!'] }],
      ['a condition listed twice', { conditions: ['remains', 'remains'] }],
      ['more than 50 conditions', { conditions: Array.from({ length: 51 }, (_, i) => `c-${i}`) }],
      ['terms that are a list', { terms: ['both directions'] }],
      ['terms that are a string', { terms: 'both directions' }],
      ['a bad source', { sources: [{ name: 'x', colour: 'red' }] }],
      ['more than 50 sources', { sources: Array.from({ length: 51 }, (_, i) => `s-${i}`) }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRefused(() => register({ ...hostages('o-400'), ...change }), Object.keys(change));
    });

    it.each([
      ['an unknown responsible party', { responsiblePartyId: 'atlantis' }],
      ['an unknown beneficiary party', { beneficiaryPartyId: 'atlantis' }],
      ['an unknown phase', { phaseKey: 'phase-9' }],
      ['an unknown condition', { conditions: ['no-such-obligation'] }],
      ['a condition of another agreement', { conditions: ['other-remains'] }],
      ['the obligation itself as a condition', { conditions: ['o-422'] }],
      [
        'a deadline after conditions_met without conditions',
        { dueWithin: { hours: 168, after: 'conditions_met' } },
      ],
    ])('answers 422 for %s and writes nothing', async (_what, change) => {
      await expectRuleViolated(() => register({ ...hostages('o-422'), ...change }));
    });

    it('answers 404 for an unknown or malformed agreement id', async () => {
      const unknown = await register(hostages('o-404'), 'no-such-agreement').expect(404);
      expect(unknown.body).toMatchObject({ code: 'NOT_FOUND' });
      await register(hostages('o-404'), 'Not_An_Id').expect(404);
    });

    it('answers 409 DUPLICATE_ID for an obligation id that exists', async () => {
      await register(hostages('o-dup')).expect(201);
      const res = await register(hostages('o-dup')).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_ID' });
    });

    it('answers a retry with the same Idempotency-Key with the first response', async () => {
      const send = () =>
        api
          .http()
          .post(`/v1/agreements/${AGREEMENT}/obligations`)
          .set(api.auth('coordinator'))
          .set('Idempotency-Key', 'register-hostages-once')
          .send(hostages('o-idem'));
      const first = await send().expect(201);
      const before = await api.eventCount();
      const again = await send().expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('POST /v1/obligations/:id/progress', () => {
    const progress = { quantity: 4, occurredAt: '2025-10-13T08:00:00Z', source: 'ICRC' };

    beforeAll(async () => {
      await register(hostages('p-hostages')).expect(201);
    });

    it('records 4 more hostages released, with the source as an object and the monitor as actor', async () => {
      const res = await act('p-hostages', 'progress', 'monitor', {
        ...progress,
        note: 'Handed over to the Red Cross',
      }).expect(200);
      expect(res.body).toEqual({
        id: 'p-hostages',
        streamId: 'obligation-p-hostages',
        streamVersion: 2,
        position: expect.any(Number),
      });
      const events = await eventsOf('p-hostages');
      expect(events[1]).toMatchObject({
        type: 'ProgressReported',
        streamVersion: 2,
        occurredAt: '2025-10-13T08:00:00.000Z',
        data: {
          obligationId: 'p-hostages',
          agreementId: AGREEMENT,
          quantity: 4,
          occurredAt: '2025-10-13T08:00:00.000Z',
          source: { name: 'ICRC' },
          note: 'Handed over to the Red Cross',
        },
        metadata: { actor: actorOf('monitor') },
      });
    });

    it('records a day of aid trucks against the rate obligation', async () => {
      await register(trucks('p-trucks')).expect(201);
      await act('p-trucks', 'progress', 'monitor', {
        quantity: 420,
        occurredAt: '2025-10-12T18:00:00Z',
        source: { name: 'UN 2720 mechanism', kind: 'official' },
      }).expect(200);
      const events = await eventsOf('p-trucks');
      expect(events[1].data).toMatchObject({
        quantity: 420,
        source: { name: 'UN 2720 mechanism', kind: 'official' },
        note: null,
      });
    });

    it('answers 401 without a key', async () => {
      await api.http().post('/v1/obligations/p-hostages/progress').send(progress).expect(401);
    });

    it.each(['reader', 'coordinator', 'verifier', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        await act('p-hostages', 'progress', role, progress).expect(403);
      },
    );

    it.each([
      ['a quantity of 0', { quantity: 0 }],
      ['a negative quantity', { quantity: -4 }],
      ['a fractional quantity', { quantity: 1.5 }],
      ['a quantity given as a string', { quantity: '4' }],
      ['no quantity', { quantity: undefined }],
      ['an occurredAt without a zone', { occurredAt: '2025-10-13T08:00:00' }],
      ['no source', { source: undefined }],
      ['an empty source name', { source: '' }],
      ['a source with an unknown kind', { source: { name: 'ICRC', kind: 'rumour' } }],
      ['a note too long', { note: 'x'.repeat(10_001) }],
      ['an unknown field', { total: 4 }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRefused(
        () => act('p-hostages', 'progress', 'monitor', { ...progress, ...change }),
        Object.keys(change),
      );
    });

    it('answers 422 for an occurredAt in the future', async () => {
      await expectRuleViolated(() =>
        act('p-hostages', 'progress', 'monitor', { ...progress, occurredAt: FUTURE }),
      );
    });

    it('answers 404 for an unknown or malformed obligation id', async () => {
      const res = await act('no-such-obligation', 'progress', 'monitor', progress).expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
      await act('Not_An_Id', 'progress', 'monitor', progress).expect(404);
    });

    it('answers 409 when If-Match is stale and writes nothing', async () => {
      const before = await api.eventCount();
      const res = await api
        .http()
        .post('/v1/obligations/p-hostages/progress')
        .set(api.auth('monitor'))
        .set('If-Match', '"1"')
        .send(progress)
        .expect(409);
      expect(res.body).toMatchObject({ code: 'VERSION_CONFLICT' });
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('POST /v1/obligations/:id/fulfilment-claims', () => {
    const claim = {
      claimedByPartyId: 'hamas',
      occurredAt: '2025-10-13T12:00:00Z',
      source: { name: 'Hamas statement', kind: 'party' },
    };

    beforeAll(async () => {
      await register(hostages('c-hostages')).expect(201);
      await register(trucks('c-trucks')).expect(201);
    });

    it('records that Hamas claims all living hostages released', async () => {
      const res = await act('c-hostages', 'fulfilment-claims', 'monitor', {
        ...claim,
        note: 'All living captives handed over',
      }).expect(200);
      expect(res.body).toMatchObject({ id: 'c-hostages', streamVersion: 2 });
      const events = await eventsOf('c-hostages');
      expect(events[1]).toMatchObject({
        type: 'FulfilmentClaimed',
        data: {
          obligationId: 'c-hostages',
          agreementId: AGREEMENT,
          claimedByPartyId: 'hamas',
          occurredAt: '2025-10-13T12:00:00.000Z',
          source: { name: 'Hamas statement', kind: 'party' },
          note: 'All living captives handed over',
        },
        metadata: { actor: actorOf('monitor') },
      });
    });

    it('answers 401 without a key', async () => {
      await api.http().post('/v1/obligations/c-hostages/fulfilment-claims').send(claim).expect(401);
    });

    it.each(['reader', 'coordinator', 'verifier', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        await act('c-hostages', 'fulfilment-claims', role, claim).expect(403);
      },
    );

    it.each([
      ['no claiming party', { claimedByPartyId: undefined }],
      ['a malformed party id', { claimedByPartyId: 'Hamas Movement' }],
      ['an occurredAt without a zone', { occurredAt: '2025-10-13 12:00' }],
      ['no source', { source: undefined }],
      ['an unknown field', { fulfilled: true }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRefused(
        () => act('c-hostages', 'fulfilment-claims', 'monitor', { ...claim, ...change }),
        Object.keys(change),
      );
    });

    it.each([
      ['a party not in the agreement', 'c-hostages', { claimedByPartyId: 'atlantis' }],
      ['an occurredAt in the future', 'c-hostages', { occurredAt: FUTURE }],
      ['a rate obligation, judged window by window', 'c-trucks', { claimedByPartyId: 'israel' }],
    ])('answers 422 for %s', async (_what, obligationId, change) => {
      await expectRuleViolated(() =>
        act(obligationId, 'fulfilment-claims', 'monitor', { ...claim, ...change }),
      );
    });

    it('answers 404 for an unknown obligation', async () => {
      await act('no-such-obligation', 'fulfilment-claims', 'monitor', claim).expect(404);
    });
  });

  describe('POST /v1/obligations/:id/verification', () => {
    const verification = {
      outcome: 'verified',
      note: 'ICRC confirmed the handover of all 20 living hostages',
      occurredAt: '2025-10-13T15:00:00Z',
      source: 'ICRC',
    };

    beforeAll(async () => {
      await register(hostages('v-hostages')).expect(201);
      await register(remains('v-remains')).expect(201);
      await register(trucks('v-trucks')).expect(201);
    });

    it('records a verified fulfilment by the verifier', async () => {
      await act('v-hostages', 'verification', 'verifier', verification).expect(200);
      const events = await eventsOf('v-hostages');
      expect(events[1]).toMatchObject({
        type: 'FulfilmentVerified',
        occurredAt: '2025-10-13T15:00:00.000Z',
        data: {
          obligationId: 'v-hostages',
          note: 'ICRC confirmed the handover of all 20 living hostages',
          occurredAt: '2025-10-13T15:00:00.000Z',
          source: { name: 'ICRC' },
        },
        metadata: { actor: actorOf('verifier') },
      });
    });

    it('records a dispute and a breach, each with its own event; without a time or source both are null', async () => {
      await act('v-remains', 'verification', 'verifier', {
        outcome: 'disputed',
        note: 'One set of remains matched no hostage',
      }).expect(200);
      await act('v-remains', 'verification', 'verifier', {
        outcome: 'breached',
        note: 'Only 4 of 28 remains returned within 72 hours',
        source: { name: 'Israeli PMO', kind: 'party' },
      }).expect(200);
      const events = await eventsOf('v-remains');
      expect(events.map((e: { type: string }) => e.type)).toEqual([
        'ObligationRegistered',
        'FulfilmentDisputed',
        'BreachRecorded',
      ]);
      expect(events[1].data).toMatchObject({ occurredAt: null, source: null });
      expect(events[2].data.source).toEqual({ name: 'Israeli PMO', kind: 'party' });
    });

    it('answers 401 without a key', async () => {
      await api
        .http()
        .post('/v1/obligations/v-hostages/verification')
        .send(verification)
        .expect(401);
    });

    it.each(['reader', 'monitor', 'coordinator', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        await act('v-hostages', 'verification', role, verification).expect(403);
      },
    );

    it.each([
      ['an unknown outcome', { outcome: 'probably' }],
      ['no outcome', { outcome: undefined }],
      ['no note', { note: undefined }],
      ['an empty note', { note: '' }],
      ['a note too long', { note: 'x'.repeat(10_001) }],
      ['an occurredAt without a zone', { occurredAt: '2025-10-13T15:00:00' }],
      ['a bad source', { source: 42 }],
      ['an unknown field', { confidence: 'high' }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRefused(
        () => act('v-hostages', 'verification', 'verifier', { ...verification, ...change }),
        Object.keys(change),
      );
    });

    it.each([
      ['an occurredAt in the future', 'v-hostages', { occurredAt: FUTURE }],
      ['verifying a rate obligation as fulfilled', 'v-trucks', {}],
    ])('answers 422 for %s', async (_what, obligationId, change) => {
      await expectRuleViolated(() =>
        act(obligationId, 'verification', 'verifier', { ...verification, ...change }),
      );
    });

    it('answers 404 for an unknown obligation', async () => {
      await act('no-such-obligation', 'verification', 'verifier', verification).expect(404);
    });
  });

  describe('POST /v1/obligations/:id/deadline', () => {
    const amendment = {
      dueAt: '2025-11-30T23:59:59Z',
      reason: 'Reopening postponed by the parties',
      source: 'Reuters',
    };

    beforeAll(async () => {
      await register(remains('d-remains')).expect(201);
      await register(rafah('d-rafah', ['d-remains'])).expect(201);
    });

    it('amends the Rafah deadline twice, each amendment naming the one it replaces', async () => {
      await act('d-rafah', 'deadline', 'coordinator', amendment).expect(200);
      await act('d-rafah', 'deadline', 'coordinator', {
        dueAt: '2026-02-01T00:00:00+02:00',
        reason: 'Technocratic committee announced a reopening next week',
      }).expect(200);
      const events = await eventsOf('d-rafah');
      expect(events[1]).toMatchObject({
        type: 'DeadlineAmended',
        data: {
          obligationId: 'd-rafah',
          dueAt: '2025-11-30T23:59:59.000Z',
          previousDueAt: null,
          reason: 'Reopening postponed by the parties',
          source: { name: 'Reuters' },
        },
        metadata: { actor: actorOf('coordinator') },
      });
      expect(events[2].data).toMatchObject({
        dueAt: '2026-01-31T22:00:00.000Z',
        previousDueAt: '2025-11-30T23:59:59.000Z',
        source: null,
      });
    });

    it('answers 401 without a key', async () => {
      await api.http().post('/v1/obligations/d-rafah/deadline').send(amendment).expect(401);
    });

    it.each(['reader', 'monitor', 'verifier', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        await act('d-rafah', 'deadline', role, amendment).expect(403);
      },
    );

    it.each([
      ['no dueAt', { dueAt: undefined }],
      ['a dueAt without a zone', { dueAt: '2025-11-30' }],
      ['an impossible dueAt', { dueAt: '2025-11-31T00:00:00Z' }],
      ['no reason', { reason: undefined }],
      ['a reason too long', { reason: 'x'.repeat(10_001) }],
      ['a bad source', { source: { url: 'https://example.org' } }],
      ['dueWithin, which an amendment does not take', { dueWithin: { hours: 24 } }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRefused(
        () => act('d-rafah', 'deadline', 'coordinator', { ...amendment, ...change }),
        Object.keys(change),
      );
    });

    it('answers 422 for a waived obligation', async () => {
      await register(remains('d-waived')).expect(201);
      await act('d-waived', 'state', 'coordinator', {
        action: 'waive',
        reason: 'Dropped by agreement',
      }).expect(200);
      await expectRuleViolated(() => act('d-waived', 'deadline', 'coordinator', amendment));
    });

    it('answers 404 for an unknown obligation', async () => {
      await act('no-such-obligation', 'deadline', 'coordinator', amendment).expect(404);
    });
  });

  describe('POST /v1/obligations/:id/state', () => {
    const reportViolation = (id: string, agreementId = AGREEMENT) =>
      api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .send(gazaCityAirstrike(id, agreementId))
        .expect(201);

    beforeAll(async () => {
      await register(hostages('s-hostages')).expect(201);
      await register(trucks('s-trucks')).expect(201);
      await reportViolation('v-strike-1');
      await reportViolation('v-strike-2');
      await reportViolation('v-other-agreement', OTHER_AGREEMENT);
    });

    it('suspends the releases citing the other side’s violations, then resumes them', async () => {
      await act('s-hostages', 'state', 'coordinator', {
        action: 'suspend',
        reason: 'Hamas suspends releases citing Israeli strikes',
        citedViolationIds: ['v-strike-1', 'v-strike-2'],
      }).expect(200);
      const resumed = await act('s-hostages', 'state', 'coordinator', {
        action: 'resume',
        reason: 'Mediators restored the exchange',
      }).expect(200);
      expect(resumed.body).toMatchObject({ id: 's-hostages', streamVersion: 3 });
      const events = await eventsOf('s-hostages');
      expect(events[1]).toMatchObject({
        type: 'ObligationSuspended',
        data: {
          obligationId: 's-hostages',
          reason: 'Hamas suspends releases citing Israeli strikes',
          citedViolationIds: ['v-strike-1', 'v-strike-2'],
        },
        metadata: { actor: actorOf('coordinator') },
      });
      expect(events[2]).toMatchObject({
        type: 'ObligationResumed',
        data: { citedViolationIds: [] },
      });
    });

    it('waives an obligation', async () => {
      await act('s-trucks', 'state', 'coordinator', {
        action: 'waive',
        reason: 'Superseded by the phase-2 aid arrangement',
      }).expect(200);
      const events = await eventsOf('s-trucks');
      expect(events[1]).toMatchObject({ type: 'ObligationWaived' });
    });

    it('answers 401 without a key', async () => {
      await api
        .http()
        .post('/v1/obligations/s-hostages/state')
        .send({ action: 'suspend', reason: 'x' })
        .expect(401);
    });

    it.each(['reader', 'monitor', 'verifier', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        await act('s-hostages', 'state', role, { action: 'suspend', reason: 'x' }).expect(403);
      },
    );

    it.each([
      ['an unknown action', 'action', { action: 'cancel', reason: 'x' }],
      ['no action', 'action', { reason: 'x' }],
      ['no reason', 'reason', { action: 'suspend' }],
      ['an empty reason', 'reason', { action: 'suspend', reason: '' }],
      ['a blank reason', 'reason', { action: 'suspend', reason: '   ' }],
      [
        'cited violations that are not a list',
        'citedViolationIds',
        { action: 'suspend', reason: 'x', citedViolationIds: 'v-1' },
      ],
      [
        'a malformed cited violation id',
        'citedViolationIds',
        { action: 'suspend', reason: 'x', citedViolationIds: ['V 1'] },
      ],
      [
        'a cited violation listed twice',
        'citedViolationIds',
        { action: 'suspend', reason: 'x', citedViolationIds: ['v-1', 'v-1'] },
      ],
      [
        'more than 100 cited violations',
        'citedViolationIds',
        {
          action: 'suspend',
          reason: 'x',
          citedViolationIds: Array.from({ length: 101 }, (_, i) => `v-${i}`),
        },
      ],
      [
        'an unknown field',
        'until',
        { action: 'suspend', reason: 'x', until: '2025-11-01T00:00:00Z' },
      ],
    ])('answers 400 for %s and writes nothing', async (_what, field, body) => {
      await expectRefused(() => act('s-hostages', 'state', 'coordinator', body), [field]);
    });

    it.each([
      ['resuming an obligation that is not suspended', 's-hostages', { action: 'resume' }],
      ['any change to a waived obligation', 's-trucks', { action: 'suspend' }],
      [
        'citing a report that does not exist',
        's-hostages',
        { action: 'suspend', citedViolationIds: ['v-strike-1', 'v-no-such-report'] },
      ],
      [
        'citing a report on another agreement',
        's-hostages',
        { action: 'suspend', citedViolationIds: ['v-other-agreement'] },
      ],
    ])('answers 422 for %s', async (_what, obligationId, change) => {
      await expectRuleViolated(() =>
        act(obligationId, 'state', 'coordinator', { reason: 'x', ...change }),
      );
    });

    it('answers 404 for an unknown obligation', async () => {
      await act('no-such-obligation', 'state', 'coordinator', {
        action: 'suspend',
        reason: 'x',
      }).expect(404);
    });
  });

  describe('OpenAPI', () => {
    it('documents every obligation write', async () => {
      const res = await api.http().get('/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/agreements/{id}/obligations',
          '/v1/obligations/{id}/progress',
          '/v1/obligations/{id}/fulfilment-claims',
          '/v1/obligations/{id}/verification',
          '/v1/obligations/{id}/deadline',
          '/v1/obligations/{id}/state',
        ]),
      );
      expect(res.body.paths['/v1/agreements/{id}/obligations'].post.responses['201']).toBeDefined();
      const schemas = res.body.components.schemas;
      expect(schemas.RegisterObligationRequest.required).toEqual(
        expect.arrayContaining(['phaseKey', 'kind', 'title', 'responsiblePartyId']),
      );
      expect(Object.keys(schemas.RegisterObligationRequest.properties)).toEqual(
        expect.arrayContaining(['dueAt', 'dueWithin', 'target', 'conditions', 'terms', 'sources']),
      );
      expect(schemas.ObligationTargetRequest.properties.per.enum).toEqual(['day', 'week']);
      expect(schemas.ObligationDueWithinRequest.properties.after.enum).toEqual([
        'agreement_effective',
        'phase_start',
        'conditions_met',
      ]);
      expect(schemas.VerifyObligationRequest.properties.outcome.enum).toEqual([
        'verified',
        'disputed',
        'breached',
      ]);
    });
  });
});
