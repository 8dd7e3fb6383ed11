import { ApiHarness, october2025Agreement, startApi } from '../../../../test/support/api-harness';

describe('agreements (HTTP)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  describe('POST /v1/agreements', () => {
    it('registers an agreement and records who did it, with the correlation id', async () => {
      const res = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('X-Request-Id', 'req-register-1')
        .send(october2025Agreement())
        .expect(201);
      expect(res.body).toEqual({
        id: 'gaza-2025-10',
        streamId: 'agreement-gaza-2025-10',
        streamVersion: 1,
        position: expect.any(Number),
      });
      expect(res.headers['x-request-id']).toBe('req-register-1');
      const events = await api
        .http()
        .get('/v1/streams/agreement-gaza-2025-10/events')
        .set(api.auth('auditor'))
        .expect(200);
      expect(events.body.items).toHaveLength(1);
      expect(events.body.items[0]).toMatchObject({
        type: 'AgreementRegistered',
        schemaVersion: 1,
        streamVersion: 1,
        occurredAt: '2025-10-10T09:00:00.000Z',
        metadata: {
          actor: { keyId: api.keyIds.coordinator, name: 'e2e coordinator', role: 'coordinator' },
          correlationId: 'req-register-1',
        },
      });
      expect(events.body.items[0].data.sources).toEqual([
        { name: 'Reuters' },
        { name: 'Al Jazeera', kind: 'media', url: 'https://www.aljazeera.com/' },
      ]);
    });

    it('makes an id when the client gives none', async () => {
      const { id: _id, ...body } = october2025Agreement();
      const res = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(body)
        .expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers 401 without a key, with a wrong key, and with a revoked key', async () => {
      await api.http().post('/v1/agreements').send(october2025Agreement('a-401')).expect(401);
      const wrong = await api
        .http()
        .post('/v1/agreements')
        .set('Authorization', 'Bearer nope')
        .send(october2025Agreement('a-401'))
        .expect(401);
      expect(wrong.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      const key = await api
        .http()
        .post('/v1/admin/api-keys')
        .set(api.auth('admin'))
        .send({ name: 'short-lived', role: 'coordinator' })
        .expect(201);
      await api
        .http()
        .delete(`/v1/admin/api-keys/${key.body.id}`)
        .set(api.auth('admin'))
        .expect(200);
      await api
        .http()
        .post('/v1/agreements')
        .set('Authorization', `Bearer ${key.body.key}`)
        .send(october2025Agreement('a-401'))
        .expect(401);
    });

    it.each(['reader', 'monitor', 'verifier', 'auditor'] as const)(
      'answers 403 to a %s key',
      async (role) => {
        const res = await api
          .http()
          .post('/v1/agreements')
          .set(api.auth(role))
          .send(october2025Agreement('a-403'))
          .expect(403);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
      },
    );

    it.each([
      ['a time without a zone', { effectiveAt: '2025-10-10T09:00:00' }],
      ['an impossible date', { effectiveAt: '2025-02-30T09:00:00Z' }],
      [
        'fewer than two parties',
        { parties: [{ id: 'israel', name: 'Israel', role: 'signatory' }] },
      ],
      [
        'duplicate party ids',
        {
          parties: [
            { id: 'x', name: 'X', role: 'signatory' },
            { id: 'x', name: 'Y', role: 'signatory' },
          ],
        },
      ],
      ['no phase', { phases: [] }],
      [
        'duplicate phase keys',
        {
          phases: [
            { key: 'p', title: 'a' },
            { key: 'p', title: 'b' },
          ],
        },
      ],
      ['an unknown field', { colour: 'blue' }],
      [
        'an unknown nested field',
        {
          parties: [
            { id: 'a', name: 'A', role: 'signatory', extra: 1 },
            { id: 'b', name: 'B', role: 'signatory' },
          ],
        },
      ],
      [
        'an unknown role',
        {
          parties: [
            { id: 'a', name: 'A', role: 'king' },
            { id: 'b', name: 'B', role: 'signatory' },
          ],
        },
      ],
      ['a title too long', { title: 'x'.repeat(301) }],
      ['a bad id', { id: 'Not An Id!' }],
      ['a bad source', { sources: [{ name: 'x', colour: 'red' }] }],
    ])('answers 400 for %s and writes nothing', async (_what, change) => {
      const before = await api.eventCount();
      const res = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send({ ...october2025Agreement('a-400'), ...change })
        .expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      });
      expect(await api.eventCount()).toBe(before);
    });

    it('answers 400 for malformed JSON, a non-object body and a non-JSON content type', async () => {
      const bad = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Content-Type', 'application/json')
        .send('{"title": ')
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Content-Type', 'application/json')
        .send('[1,2]')
        .expect(400);
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Content-Type', 'application/json')
        .send('null')
        .expect(400);
      const text = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Content-Type', 'text/plain')
        .send('hello');
      expect(text.status).toBeGreaterThanOrEqual(400);
      expect(text.status).toBeLessThan(500);
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const res = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send({ ...october2025Agreement('a-413'), title: 'x'.repeat(1024 * 1024) })
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('answers 409 DUPLICATE_ID for an id that exists', async () => {
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement('a-dup'))
        .expect(201);
      const res = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement('a-dup'))
        .expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_ID' });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the first response and writes nothing; another body with the key is 422', async () => {
      const body = october2025Agreement('a-idem');
      const first = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Idempotency-Key', 'k-1')
        .send(body)
        .expect(201);
      const before = await api.eventCount();
      const again = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Idempotency-Key', 'k-1')
        .send(body)
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await api.eventCount()).toBe(before);
      const other = await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .set('Idempotency-Key', 'k-1')
        .send({ ...body, title: 'changed' })
        .expect(422);
      expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      const events = await api
        .http()
        .get('/v1/streams/agreement-a-idem/events')
        .set(api.auth('auditor'))
        .expect(200);
      expect(events.body.items[0].metadata.idempotencyKey).toBe('k-1');
    });

    it('lets exactly one of 20 concurrent requests with the same key write', async () => {
      const body = october2025Agreement('a-idem-race');
      const before = await api.eventCount();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          api
            .http()
            .post('/v1/agreements')
            .set(api.auth('coordinator'))
            .set('Idempotency-Key', 'race')
            .send(body),
        ),
      );
      expect(answers.map((a) => [a.status, a.body.code])).toEqual(
        new Array(20).fill([201, undefined]),
      );
      for (const a of answers) expect(a.body).toEqual(answers[0].body);
      expect(await api.eventCount()).toBe(before + 1);
    });
  });

  describe('POST /v1/agreements/:id/phases/:key/start', () => {
    beforeAll(async () => {
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement('a-phase'))
        .expect(201);
    });

    it('starts a phase', async () => {
      const res = await api
        .http()
        .post('/v1/agreements/a-phase/phases/phase-1/start')
        .set(api.auth('coordinator'))
        .send({ startedAt: '2025-10-10T09:00:00Z' })
        .expect(200);
      expect(res.body).toMatchObject({ id: 'a-phase', streamVersion: 2 });
    });

    it('answers 404 for an unknown agreement and 422 for a phase started twice', async () => {
      await api
        .http()
        .post('/v1/agreements/nope/phases/phase-1/start')
        .set(api.auth('coordinator'))
        .send({ startedAt: '2025-10-10T09:00:00Z' })
        .expect(404);
      const again = await api
        .http()
        .post('/v1/agreements/a-phase/phases/phase-1/start')
        .set(api.auth('coordinator'))
        .send({ startedAt: '2025-10-11T09:00:00Z' })
        .expect(422);
      expect(again.body).toMatchObject({ code: 'RULE_VIOLATED' });
    });

    it('answers 400, 401 and 403 as it should', async () => {
      await api
        .http()
        .post('/v1/agreements/a-phase/phases/phase-2/start')
        .set(api.auth('coordinator'))
        .send({ startedAt: 'yesterday' })
        .expect(400);
      await api
        .http()
        .post('/v1/agreements/a-phase/phases/phase-2/start')
        .send({ startedAt: '2025-10-10T09:00:00Z' })
        .expect(401);
      await api
        .http()
        .post('/v1/agreements/a-phase/phases/phase-2/start')
        .set(api.auth('monitor'))
        .send({ startedAt: '2025-10-10T09:00:00Z' })
        .expect(403);
    });

    it('answers 409 when If-Match is stale, and exactly one of 20 concurrent writers with the same If-Match wins', async () => {
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement('a-ifmatch'))
        .expect(201);
      const stale = await api
        .http()
        .post('/v1/agreements/a-ifmatch/phases/phase-1/start')
        .set(api.auth('coordinator'))
        .set('If-Match', '"7"')
        .send({ startedAt: '2025-10-10T09:00:00Z' })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT' });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api
            .http()
            .post('/v1/agreements/a-ifmatch/casualty-tallies')
            .set(api.auth('monitor'))
            .set('If-Match', '1')
            .send({
              source: 'Gaza Health Ministry',
              asOf: '2025-11-10T00:00:00Z',
              killed: 242 + i,
              injured: 0,
            }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      await api
        .http()
        .post('/v1/agreements/a-ifmatch/phases/phase-1/start')
        .set(api.auth('coordinator'))
        .set('If-Match', 'banana')
        .send({ startedAt: '2025-10-10T09:00:00Z' })
        .expect(400);
    });
  });

  describe('POST /v1/agreements/:id/casualty-tallies', () => {
    beforeAll(async () => {
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement('a-tally'))
        .expect(201);
    });

    it('records a tally with its source and answers 201 with the tally id', async () => {
      const res = await api
        .http()
        .post('/v1/agreements/a-tally/casualty-tallies')
        .set(api.auth('monitor'))
        .send({
          source: { name: 'Gaza Health Ministry', kind: 'official' },
          asOf: '2026-01-25T00:00:00Z',
          killed: 484,
          injured: 1321,
          attributedToPartyId: 'israel',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        streamId: 'agreement-a-tally',
        streamVersion: 2,
      });
    });

    it('answers 400, 401, 403, 404 and 422 as it should', async () => {
      const ok = {
        source: 'Gaza Health Ministry',
        asOf: '2026-01-25T00:00:00Z',
        killed: 484,
        injured: 1321,
      };
      await api
        .http()
        .post('/v1/agreements/a-tally/casualty-tallies')
        .set(api.auth('monitor'))
        .send({ ...ok, killed: -1 })
        .expect(400);
      await api.http().post('/v1/agreements/a-tally/casualty-tallies').send(ok).expect(401);
      await api
        .http()
        .post('/v1/agreements/a-tally/casualty-tallies')
        .set(api.auth('verifier'))
        .send(ok)
        .expect(403);
      await api
        .http()
        .post('/v1/agreements/nope/casualty-tallies')
        .set(api.auth('monitor'))
        .send(ok)
        .expect(404);
      const unknownParty = await api
        .http()
        .post('/v1/agreements/a-tally/casualty-tallies')
        .set(api.auth('monitor'))
        .send({ ...ok, attributedToPartyId: 'atlantis' })
        .expect(422);
      expect(unknownParty.body).toMatchObject({ code: 'RULE_VIOLATED' });
    });
  });

  describe('OpenAPI', () => {
    it('serves the document with the bearer scheme and every write', async () => {
      const res = await api.http().get('/docs-json').expect(200);
      expect(res.body.components.securitySchemes).toHaveProperty('bearer');
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/agreements',
          '/v1/agreements/{id}/phases/{key}/start',
          '/v1/agreements/{id}/casualty-tallies',
        ]),
      );
    });
  });
});
