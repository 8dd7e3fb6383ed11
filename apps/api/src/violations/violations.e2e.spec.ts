import {
  ApiHarness,
  gazaCityAirstrike,
  october2025Agreement,
  startApi,
} from '../../../../test/support/api-harness';

const AGREEMENT = 'gaza-2025-10';

describe('violations (HTTP)', () => {
  let api: ApiHarness;

  const events = async (violationId: string) =>
    (
      await api
        .http()
        .get(`/v1/streams/violation-${violationId}/events`)
        .set(api.auth('auditor'))
        .expect(200)
    ).body.items;

  const report = (id: string, change: Record<string, unknown> = {}) =>
    api
      .http()
      .post('/v1/violations')
      .set(api.auth('monitor'))
      .send({ ...gazaCityAirstrike(id), ...change })
      .expect(201);

  const actorOf = (role: 'monitor' | 'verifier' | 'admin') => ({
    keyId: api.keyIds[role],
    name: `e2e ${role}`,
    role,
  });

  /** Asserts a 400 VALIDATION_FAILED that wrote nothing. */
  const expectRejected400 = async (send: () => Promise<{ status: number; body: unknown }>) => {
    const before = await api.eventCount();
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
    });
    expect(await api.eventCount()).toBe(before);
  };

  /** Asserts a 422 RULE_VIOLATED that wrote nothing. */
  const expectRule422 = async (send: () => Promise<{ status: number; body: unknown }>) => {
    const before = await api.eventCount();
    const res = await send();
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'RULE_VIOLATED' });
    expect(await api.eventCount()).toBe(before);
    return res;
  };

  beforeAll(async () => {
    api = await startApi();
    await api
      .http()
      .post('/v1/agreements')
      .set(api.auth('coordinator'))
      .send(october2025Agreement(AGREEMENT))
      .expect(201);
    await api
      .http()
      .post('/v1/agreements')
      .set(api.auth('coordinator'))
      .send(october2025Agreement('gaza-2025-01'))
      .expect(201);
  });
  afterAll(() => api.close());

  describe('POST /v1/violations', () => {
    it('records the report with its figures, sources and reporting key, and answers 201', async () => {
      const res = await api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .set('X-Request-Id', 'req-violation-1')
        .send(gazaCityAirstrike('v-gaza-city'))
        .expect(201);
      expect(res.body).toEqual({
        id: 'v-gaza-city',
        streamId: 'violation-v-gaza-city',
        streamVersion: 1,
        position: expect.any(Number),
      });
      const [event] = await events('v-gaza-city');
      expect(event).toMatchObject({
        type: 'ViolationReported',
        streamVersion: 1,
        occurredAt: '2025-10-28T18:30:00.000Z',
        metadata: { actor: actorOf('monitor'), correlationId: 'req-violation-1' },
      });
      expect(event.data).toMatchObject({
        violationId: 'v-gaza-city',
        agreementId: AGREEMENT,
        location: { name: 'Gaza City', lat: 31.5017, lon: 34.4668, precision: 'approximate' },
        category: 'airstrike',
        allegedPartyId: 'israel',
        casualties: { killed: 1, injured: 4 },
        sources: [
          { name: 'Gaza Health Ministry', kind: 'official' },
          { name: 'Reuters', kind: 'media', url: 'https://www.reuters.com/world/middle-east/' },
        ],
        relatedObligationIds: [],
        reportedBy: { keyId: api.keyIds.monitor, name: 'e2e monitor' },
      });
    });

    it('makes an id when the client gives none, takes sources given by name, and counts no casualties when none are given', async () => {
      const { casualties: _casualties, ...body } = gazaCityAirstrike();
      const res = await api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .send({
          ...body,
          location: { name: 'Khan Younis', precision: 'region' },
          sources: ['Al Jazeera'],
        })
        .expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const [event] = await events(res.body.id);
      expect(event.data.sources).toEqual([{ name: 'Al Jazeera' }]);
      expect(event.data.casualties).toEqual({ killed: 0, injured: 0 });
      expect(event.data.location).toEqual({ name: 'Khan Younis', precision: 'region' });
    });

    it('accepts an incident up to one day before the agreement took effect', async () => {
      await report('v-eve', { occurredAt: '2025-10-09T09:00:00Z' });
    });

    it('links the obligations of the same agreement the report names', async () => {
      const registerObligation = async (obligationId: string, agreementId: string) => {
        await api
          .http()
          .post(`/v1/agreements/${agreementId}/obligations`)
          .set(api.auth('coordinator'))
          .send({
            id: obligationId,
            phaseKey: 'phase-1',
            kind: 'cessation_of_hostilities',
            title: 'Cease all military operations',
            responsiblePartyId: 'israel',
            dueAt: '2025-10-10T09:00:00Z',
          })
          .expect(201);
      };
      await registerObligation('o-ceasefire', AGREEMENT);
      await registerObligation('o-ceasefire-january', 'gaza-2025-01');

      await report('v-linked', { relatedObligationIds: ['o-ceasefire'] });
      const [event] = await events('v-linked');
      expect(event.data.relatedObligationIds).toEqual(['o-ceasefire']);

      await expectRule422(() =>
        api
          .http()
          .post('/v1/violations')
          .set(api.auth('monitor'))
          .send({
            ...gazaCityAirstrike('v-other-agreement'),
            relatedObligationIds: ['o-ceasefire-january'],
          }),
      );
      await expectRule422(() =>
        api
          .http()
          .post('/v1/violations')
          .set(api.auth('monitor'))
          .send({
            ...gazaCityAirstrike('v-no-obligation'),
            relatedObligationIds: ['o-ceasefire', 'o-nowhere'],
          }),
      );
    });

    it('answers 401 without a key', async () => {
      const res = await api.http().post('/v1/violations').send(gazaCityAirstrike('v-401'));
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it.each(['reader', 'verifier', 'coordinator', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        const res = await api
          .http()
          .post('/v1/violations')
          .set(api.auth(role))
          .send(gazaCityAirstrike('v-403'))
          .expect(403);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
      },
    );

    const location = gazaCityAirstrike().location;
    it.each<[string, Record<string, unknown>]>([
      ['an unknown category', { category: 'skirmish' }],
      ['an unknown precision', { location: { ...location, precision: 'vague' } }],
      ['a latitude out of range', { location: { ...location, lat: 91 } }],
      ['a longitude out of range', { location: { ...location, lon: -180.5 } }],
      ['a latitude given as a string', { location: { ...location, lat: '31.5' } }],
      [
        'a latitude without a longitude',
        { location: { name: 'Gaza City', lat: 31.5, precision: 'exact' } },
      ],
      ['no location', { location: undefined }],
      ['a location that is not an object', { location: 'Gaza City' }],
      ['casualties that are not an object', { casualties: [1, 4] }],
      ['a location without a name', { location: { precision: 'region' } }],
      ['a location name too long', { location: { ...location, name: 'x'.repeat(201) } }],
      ['an unknown field in the location', { location: { ...location, altitude: 12 } }],
      ['negative casualties', { casualties: { killed: -1, injured: 4 } }],
      ['casualties over 100000', { casualties: { killed: 1, injured: 100_001 } }],
      ['a fractional casualty count', { casualties: { killed: 1.5, injured: 4 } }],
      ['an unknown field in the casualties', { casualties: { killed: 1, injured: 4, missing: 2 } }],
      ['no source', { sources: [] }],
      ['more than 50 sources', { sources: Array.from({ length: 51 }, (_, i) => `Outlet ${i}`) }],
      ['an unknown field in a source', { sources: [{ name: 'Reuters', colour: 'red' }] }],
      ['an unknown source kind', { sources: [{ name: 'Reuters', kind: 'rumour' }] }],
      ['a time without a zone', { occurredAt: '2025-10-28T18:30:00' }],
      ['an impossible date', { occurredAt: '2025-02-30T18:30:00Z' }],
      ['a description too long', { description: 'x'.repeat(10_001) }],
      ['an empty description', { description: '' }],
      ['a blank description', { description: ' \n\t ' }],
      ['a blank location name', { location: { name: '   ', precision: 'region' } }],
      ['an unknown field', { colour: 'blue' }],
      ['a bad id', { id: 'Not An Id!' }],
      ['a bad agreement id', { agreementId: 'Not An Id!' }],
      ['a missing alleged party', { allegedPartyId: undefined }],
      ['duplicate related obligations', { relatedObligationIds: ['o-1', 'o-1'] }],
      [
        'more than 50 related obligations',
        { relatedObligationIds: Array.from({ length: 51 }, (_, i) => `o-${i}`) },
      ],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRejected400(() =>
        api
          .http()
          .post('/v1/violations')
          .set(api.auth('monitor'))
          .send({ ...gazaCityAirstrike('v-400'), ...change }),
      );
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown agreement in the body', { agreementId: 'gaza-1999' }],
      ['an alleged party not in the agreement', { allegedPartyId: 'atlantis' }],
      [
        'an occurredAt in the future',
        { occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
      ],
      [
        'an occurredAt more than a day before the agreement took effect',
        { occurredAt: '2025-10-09T08:59:59Z' },
      ],
    ])('answers 422 for %s and writes nothing', async (_what, change) => {
      await expectRule422(() =>
        api
          .http()
          .post('/v1/violations')
          .set(api.auth('monitor'))
          .send({ ...gazaCityAirstrike('v-422'), ...change }),
      );
    });

    it('answers 409 DUPLICATE_ID for an id that exists', async () => {
      await report('v-dup');
      const res = await api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .send(gazaCityAirstrike('v-dup'))
        .expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_ID' });
    });
  });

  describe('Idempotency-Key and If-Match', () => {
    it('answers a retried report with the first response and writes nothing', async () => {
      const body = gazaCityAirstrike('v-idem');
      const first = await api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .set('Idempotency-Key', 'report-v-idem')
        .send(body)
        .expect(201);
      const before = await api.eventCount();
      const again = await api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .set('Idempotency-Key', 'report-v-idem')
        .send(body)
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await api.eventCount()).toBe(before);
    });

    it('answers 409 to a write whose If-Match is stale, and writes nothing', async () => {
      await report('v-if-match');
      const before = await api.eventCount();
      const res = await api
        .http()
        .post('/v1/violations/v-if-match/sources')
        .set(api.auth('monitor'))
        .set('If-Match', '"2"')
        .send({ name: 'Reuters', kind: 'media' })
        .expect(409);
      expect(res.body).toMatchObject({ code: 'VERSION_CONFLICT' });
      expect(await api.eventCount()).toBe(before);
      await api
        .http()
        .post('/v1/violations/v-if-match/sources')
        .set(api.auth('monitor'))
        .set('If-Match', '1')
        .send({ name: 'Al Jazeera', kind: 'media' })
        .expect(200);
    });
  });

  describe('POST /v1/violations/:id/sources', () => {
    const url = '/v1/violations/v-sources/sources';
    const afp = {
      name: 'Agence France-Presse',
      kind: 'media',
      url: 'https://www.afp.com/en',
      publishedAt: '2025-10-28T20:15:00Z',
      independenceGroup: 'afp',
    };
    beforeAll(() => report('v-sources'));

    it('adds a source and answers 200', async () => {
      const res = await api.http().post(url).set(api.auth('monitor')).send(afp).expect(200);
      expect(res.body).toMatchObject({
        id: 'v-sources',
        streamId: 'violation-v-sources',
        streamVersion: 2,
      });
      const added = (await events('v-sources'))[1];
      expect(added).toMatchObject({
        type: 'ViolationSourceAdded',
        data: {
          violationId: 'v-sources',
          agreementId: AGREEMENT,
          source: { ...afp, publishedAt: '2025-10-28T20:15:00.000Z' },
        },
        metadata: { actor: actorOf('monitor') },
      });
    });

    it('answers 401 without a key and 403 to a verifier', async () => {
      await api.http().post(url).send(afp).expect(401);
      await api.http().post(url).set(api.auth('verifier')).send(afp).expect(403);
    });

    it.each<[string, unknown]>([
      ['a bare name', 'Reuters'],
      ['no name', { kind: 'media' }],
      ['no kind', { name: 'Reuters' }],
      ['an unknown kind', { name: 'Reuters', kind: 'rumour' }],
      ['a url that is not http(s)', { name: 'Reuters', kind: 'media', url: 'ftp://x.org/a' }],
      [
        'a publishedAt without a zone',
        { name: 'Reuters', kind: 'media', publishedAt: '2025-10-28' },
      ],
      ['a name too long', { name: 'x'.repeat(201), kind: 'media' }],
      ['an unknown field', { name: 'Reuters', kind: 'media', colour: 'red' }],
    ])('answers 400 for %s and writes nothing', async (_what, body) => {
      await expectRejected400(() =>
        api
          .http()
          .post(url)
          .set(api.auth('monitor'))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body)),
      );
    });

    it('answers 404 for an unknown or malformed violation id', async () => {
      const res = await api
        .http()
        .post('/v1/violations/v-nowhere/sources')
        .set(api.auth('monitor'))
        .send(afp)
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
      await api
        .http()
        .post('/v1/violations/NOT%20AN%20ID/sources')
        .set(api.auth('monitor'))
        .send(afp)
        .expect(404);
    });
  });

  describe('POST /v1/violations/:id/casualties', () => {
    const url = '/v1/violations/v-casualties/casualties';
    const revision = {
      killed: 2,
      injured: 3,
      reason: 'One of the injured died in hospital the next day.',
      source: { name: 'Gaza Health Ministry', kind: 'official' },
    };
    beforeAll(() => report('v-casualties'));

    it('replaces the figures, keeping the previous ones, and answers 200', async () => {
      const res = await api.http().post(url).set(api.auth('monitor')).send(revision).expect(200);
      expect(res.body).toMatchObject({ id: 'v-casualties', streamVersion: 2 });
      const revised = (await events('v-casualties'))[1];
      expect(revised).toMatchObject({
        type: 'CasualtiesRevised',
        data: { ...revision, previous: { killed: 1, injured: 4 } },
        metadata: { actor: actorOf('monitor') },
      });
    });

    it('takes a source given by name', async () => {
      await api
        .http()
        .post(url)
        .set(api.auth('monitor'))
        .send({ ...revision, source: 'Reuters' })
        .expect(200);
      const revised = (await events('v-casualties'))[2];
      expect(revised.data.source).toEqual({ name: 'Reuters' });
      expect(revised.data.previous).toEqual({ killed: 2, injured: 3 });
    });

    it('answers 401 without a key and 403 to a verifier', async () => {
      await api.http().post(url).send(revision).expect(401);
      await api.http().post(url).set(api.auth('verifier')).send(revision).expect(403);
    });

    it.each<[string, Record<string, unknown>]>([
      ['negative figures', { killed: -1 }],
      ['figures over 100000', { injured: 100_001 }],
      ['a fractional figure', { killed: 2.5 }],
      ['a figure given as a string', { killed: '2' }],
      ['no reason', { reason: undefined }],
      ['a reason too long', { reason: 'x'.repeat(10_001) }],
      ['no source', { source: undefined }],
      ['a bad source', { source: { name: 'Reuters', colour: 'red' } }],
      ['an unknown field', { colour: 'blue' }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRejected400(() =>
        api
          .http()
          .post(url)
          .set(api.auth('monitor'))
          .send({ ...revision, ...change }),
      );
    });

    it('answers 404 for an unknown violation', async () => {
      await api
        .http()
        .post('/v1/violations/v-nowhere/casualties')
        .set(api.auth('monitor'))
        .send(revision)
        .expect(404);
    });
  });

  describe('POST /v1/violations/:id/disputes', () => {
    const url = '/v1/violations/v-disputed/disputes';
    const dispute = {
      partyId: 'israel',
      statement: 'The strike targeted militants who crossed the agreed line and posed a threat.',
      source: { name: 'IDF spokesperson', kind: 'party' },
    };
    beforeAll(() => report('v-disputed'));

    it('records the dispute and answers 200', async () => {
      const res = await api.http().post(url).set(api.auth('verifier')).send(dispute).expect(200);
      expect(res.body).toMatchObject({ id: 'v-disputed', streamVersion: 2 });
      const disputed = (await events('v-disputed'))[1];
      expect(disputed).toMatchObject({
        type: 'ViolationDisputed',
        data: { violationId: 'v-disputed', agreementId: AGREEMENT, ...dispute },
        metadata: { actor: actorOf('verifier') },
      });
    });

    it('records a dispute without a source', async () => {
      const { source: _source, ...body } = dispute;
      await api.http().post(url).set(api.auth('verifier')).send(body).expect(200);
      expect((await events('v-disputed'))[2].data.source).toBeNull();
    });

    it('answers 401 without a key and 403 to a monitor', async () => {
      await api.http().post(url).send(dispute).expect(401);
      await api.http().post(url).set(api.auth('monitor')).send(dispute).expect(403);
    });

    it.each<[string, Record<string, unknown>]>([
      ['no party', { partyId: undefined }],
      ['a malformed party id', { partyId: 'Israel!' }],
      ['no statement', { statement: undefined }],
      ['a statement too long', { statement: 'x'.repeat(10_001) }],
      ['a bad source', { source: { name: '' } }],
      ['an unknown field', { colour: 'blue' }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRejected400(() =>
        api
          .http()
          .post(url)
          .set(api.auth('verifier'))
          .send({ ...dispute, ...change }),
      );
    });

    it('answers 422 for a party not in the agreement', async () => {
      await expectRule422(() =>
        api
          .http()
          .post(url)
          .set(api.auth('verifier'))
          .send({ ...dispute, partyId: 'atlantis' }),
      );
    });

    it('answers 404 for an unknown violation', async () => {
      await api
        .http()
        .post('/v1/violations/v-nowhere/disputes')
        .set(api.auth('verifier'))
        .send(dispute)
        .expect(404);
    });
  });

  describe('POST /v1/violations/:id/verification', () => {
    const url = '/v1/violations/v-verified/verification';
    const confirmation = {
      outcome: 'confirmed',
      note: 'Site visit and hospital records match the reported strike and casualties.',
    };
    beforeAll(() => report('v-verified'));

    it('confirms the report and answers 200', async () => {
      const res = await api
        .http()
        .post(url)
        .set(api.auth('verifier'))
        .send(confirmation)
        .expect(200);
      expect(res.body).toMatchObject({ id: 'v-verified', streamVersion: 2 });
      const confirmed = (await events('v-verified'))[1];
      expect(confirmed).toMatchObject({
        type: 'ViolationConfirmed',
        data: { violationId: 'v-verified', agreementId: AGREEMENT, note: confirmation.note },
        metadata: { actor: actorOf('verifier') },
      });
    });

    it('discounts a report', async () => {
      await report('v-discounted');
      await api
        .http()
        .post('/v1/violations/v-discounted/verification')
        .set(api.auth('verifier'))
        .send({ outcome: 'discounted', note: 'The footage predates the ceasefire.' })
        .expect(200);
      expect((await events('v-discounted'))[1]).toMatchObject({
        type: 'ViolationDiscounted',
        data: { note: 'The footage predates the ceasefire.' },
      });
    });

    it('answers 401 without a key and 403 to a monitor', async () => {
      await api.http().post(url).send(confirmation).expect(401);
      await api.http().post(url).set(api.auth('monitor')).send(confirmation).expect(403);
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown outcome', { outcome: 'verified' }],
      ['no outcome', { outcome: undefined }],
      ['no note', { note: undefined }],
      ['a note too long', { note: 'x'.repeat(10_001) }],
      ['an unknown field', { colour: 'blue' }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      await expectRejected400(() =>
        api
          .http()
          .post(url)
          .set(api.auth('verifier'))
          .send({ ...confirmation, ...change }),
      );
    });

    it('answers 404 for an unknown violation', async () => {
      await api
        .http()
        .post('/v1/violations/v-nowhere/verification')
        .set(api.auth('verifier'))
        .send(confirmation)
        .expect(404);
    });
  });

  describe('POST /v1/violations/:id/retraction', () => {
    const retraction = {
      reason: 'Reported twice: this duplicates an earlier report of the same strike.',
    };

    it('lets the reporting key retract its report, once', async () => {
      await report('v-retracted');
      const res = await api
        .http()
        .post('/v1/violations/v-retracted/retraction')
        .set(api.auth('monitor'))
        .send(retraction)
        .expect(200);
      expect(res.body).toMatchObject({ id: 'v-retracted', streamVersion: 2 });
      expect((await events('v-retracted'))[1]).toMatchObject({
        type: 'ViolationRetracted',
        data: { violationId: 'v-retracted', agreementId: AGREEMENT, reason: retraction.reason },
        metadata: { actor: actorOf('monitor') },
      });
      await expectRule422(() =>
        api
          .http()
          .post('/v1/violations/v-retracted/retraction')
          .set(api.auth('monitor'))
          .send(retraction),
      );
    });

    it('refuses another monitor key with 403 and lets an admin retract', async () => {
      await report('v-not-yours');
      const other = await api
        .http()
        .post('/v1/admin/api-keys')
        .set(api.auth('admin'))
        .send({ name: 'second monitor', role: 'monitor' })
        .expect(201);
      const before = await api.eventCount();
      const refused = await api
        .http()
        .post('/v1/violations/v-not-yours/retraction')
        .set('Authorization', `Bearer ${other.body.key}`)
        .send(retraction)
        .expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      expect(await api.eventCount()).toBe(before);

      await api
        .http()
        .post('/v1/violations/v-not-yours/retraction')
        .set(api.auth('admin'))
        .send(retraction)
        .expect(200);
      expect((await events('v-not-yours'))[1]).toMatchObject({
        type: 'ViolationRetracted',
        metadata: { actor: actorOf('admin') },
      });
    });

    it('refuses further writes to a retracted report with 422', async () => {
      await report('v-gone');
      await api
        .http()
        .post('/v1/violations/v-gone/retraction')
        .set(api.auth('monitor'))
        .send(retraction)
        .expect(200);
      await expectRule422(() =>
        api
          .http()
          .post('/v1/violations/v-gone/verification')
          .set(api.auth('verifier'))
          .send({ outcome: 'confirmed', note: 'Too late.' }),
      );
    });

    it('answers 401 without a key and 403 to a verifier', async () => {
      await report('v-retract-auth');
      await api
        .http()
        .post('/v1/violations/v-retract-auth/retraction')
        .send(retraction)
        .expect(401);
      await api
        .http()
        .post('/v1/violations/v-retract-auth/retraction')
        .set(api.auth('verifier'))
        .send(retraction)
        .expect(403);
    });

    it.each<[string, Record<string, unknown>]>([
      ['no reason', {}],
      ['an empty reason', { reason: '' }],
      ['a blank reason', { reason: '   ' }],
      ['a reason too long', { reason: 'x'.repeat(10_001) }],
      ['an unknown field', { ...retraction, colour: 'blue' }],
    ])('answers 400 for %s and writes nothing', async (_what, body) => {
      await expectRejected400(() =>
        api
          .http()
          .post('/v1/violations/v-retract-auth/retraction')
          .set(api.auth('monitor'))
          .send(body),
      );
    });

    it('answers 404 for an unknown violation', async () => {
      await api
        .http()
        .post('/v1/violations/v-nowhere/retraction')
        .set(api.auth('monitor'))
        .send(retraction)
        .expect(404);
    });
  });

  describe('OpenAPI', () => {
    it('documents every violation write', async () => {
      const res = await api.http().get('/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/violations',
          '/v1/violations/{id}/sources',
          '/v1/violations/{id}/casualties',
          '/v1/violations/{id}/disputes',
          '/v1/violations/{id}/verification',
          '/v1/violations/{id}/retraction',
        ]),
      );
    });
  });
});
