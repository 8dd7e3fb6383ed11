import { ApiHarness, october2025Agreement, startApi } from '../../../../test/support/api-harness';

describe('audit reads and API keys (HTTP)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
    for (const id of ['audit-a', 'audit-b']) {
      await api
        .http()
        .post('/v1/agreements')
        .set(api.auth('coordinator'))
        .send(october2025Agreement(id))
        .expect(201);
    }
    for (let i = 0; i < 4; i++) {
      await api
        .http()
        .post('/v1/agreements/audit-a/casualty-tallies')
        .set(api.auth('monitor'))
        .send({
          source: 'Gaza Health Ministry',
          asOf: `2025-11-0${i + 1}T00:00:00Z`,
          killed: 240 + i,
          injured: 600,
        })
        .expect(201);
    }
  });
  afterAll(() => api.close());

  describe('GET /v1/streams/:streamId/events', () => {
    it('pages a stream in version order with hashes that chain', async () => {
      const first = await api
        .http()
        .get('/v1/streams/agreement-audit-a/events?limit=3')
        .set(api.auth('auditor'))
        .expect(200);
      expect(first.body.items.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([
        1, 2, 3,
      ]);
      expect(first.body.items[1].prevHash).toBe(first.body.items[0].hash);
      const second = await api
        .http()
        .get(`/v1/streams/agreement-audit-a/events?limit=3&cursor=${first.body.nextCursor}`)
        .set(api.auth('auditor'))
        .expect(200);
      expect(second.body.items.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([
        4, 5,
      ]);
      expect(second.body.nextCursor).toBeNull();
      expect(second.body.items[0].prevHash).toBe(first.body.items[2].hash);
    });

    it('is for auditors and admins only, answers 404 for an unknown stream and 400 for a forged cursor or limit', async () => {
      await api.http().get('/v1/streams/agreement-audit-a/events').expect(401);
      for (const role of ['reader', 'monitor', 'verifier', 'coordinator'] as const) {
        await api
          .http()
          .get('/v1/streams/agreement-audit-a/events')
          .set(api.auth(role))
          .expect(403);
      }
      await api
        .http()
        .get('/v1/streams/agreement-audit-a/events')
        .set(api.auth('admin'))
        .expect(200);
      await api
        .http()
        .get('/v1/streams/agreement-nothing/events')
        .set(api.auth('auditor'))
        .expect(404);
      await api.http().get('/v1/streams/nonsense/events').set(api.auth('auditor')).expect(404);
      await api
        .http()
        .get('/v1/streams/agreement-audit-a/events?cursor=forged')
        .set(api.auth('auditor'))
        .expect(400);
      await api
        .http()
        .get('/v1/streams/agreement-audit-a/events?limit=501')
        .set(api.auth('auditor'))
        .expect(400);
      await api
        .http()
        .get('/v1/streams/agreement-audit-a/events?limit=0')
        .set(api.auth('auditor'))
        .expect(400);
      await api
        .http()
        .get('/v1/streams/agreement-audit-a/events?bogus=1')
        .set(api.auth('auditor'))
        .expect(400);
    });
  });

  describe('GET /v1/events', () => {
    it('pages the whole feed exactly once and answers an empty page with the same cursor when caught up', async () => {
      const seen: string[] = [];
      const total = await api.eventCount();
      const giveUpAt = Date.now() + 10_000;
      let cursor = '';
      for (;;) {
        const res = await api
          .http()
          .get(`/v1/events?limit=2${cursor ? `&after=${cursor}` : ''}`)
          .set(api.auth('auditor'))
          .expect(200);
        if (res.body.items.length === 0) {
          expect(res.body.nextCursor).toBe(cursor);
          // Caught up with the feed's horizon. Transaction ids are per cluster, so a transaction
          // another test file holds open in its own database holds that horizon back: poll again
          // with the same cursor, as a client does, until every event has come.
          if (seen.length >= total || Date.now() > giveUpAt) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        seen.push(...res.body.items.map((e: { eventId: string }) => e.eventId));
        cursor = res.body.nextCursor;
      }
      expect(seen).toHaveLength(await api.eventCount());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('refuses a forged cursor with 400 and other roles with 403', async () => {
      const res = await api
        .http()
        .get('/v1/events?after=Zm9yZ2Vk')
        .set(api.auth('auditor'))
        .expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      await api.http().get('/v1/events').set(api.auth('reader')).expect(403);
    });
  });

  it('describes both reads in the OpenAPI document', async () => {
    const doc = (await api.http().get('/docs-json').expect(200)).body;
    const ok = (path: string) => doc.paths[path].get.responses['200'].content['application/json'];
    expect(ok('/v1/streams/{streamId}/events').schema).toEqual({
      $ref: '#/components/schemas/AuditEventPageView',
    });
    expect(ok('/v1/events').schema).toEqual({ $ref: '#/components/schemas/FeedPageView' });
    const schemas = doc.components.schemas;
    expect(schemas.AuditEventPageView.properties.items.items.$ref).toBe(
      '#/components/schemas/AuditEventView',
    );
    expect(schemas.FeedPageView.properties.nextCursor.nullable).toBeUndefined();
    expect(Object.keys(schemas.AuditEventView.properties)).toEqual(
      expect.arrayContaining(['position', 'streamId', 'hash', 'prevHash', 'metadata']),
    );
    expect(doc.paths['/v1/streams/{streamId}/events'].get.responses['404']).toBeDefined();
  });

  describe('/v1/admin/api-keys', () => {
    it('creates a key shown once, lists keys without secrets, and revokes from the next request', async () => {
      const created = await api
        .http()
        .post('/v1/admin/api-keys')
        .set(api.auth('admin'))
        .send({ name: 'field desk', role: 'reader' })
        .expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        name: 'field desk',
        role: 'reader',
        key: expect.stringMatching(/^cfl_/),
      });
      const list = await api.http().get('/v1/admin/api-keys').set(api.auth('admin')).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(created.body.key);
      expect(list.body.items).toContainEqual(
        expect.objectContaining({ id: created.body.id, revokedAt: null }),
      );
      await api
        .http()
        .get('/v1/events')
        .set('Authorization', `Bearer ${created.body.key}`)
        .expect(403);
      await api
        .http()
        .delete(`/v1/admin/api-keys/${created.body.id}`)
        .set(api.auth('admin'))
        .expect(200);
      await api
        .http()
        .get('/v1/events')
        .set('Authorization', `Bearer ${created.body.key}`)
        .expect(401);
    });

    it('is for admins only and validates its input', async () => {
      await api
        .http()
        .post('/v1/admin/api-keys')
        .set(api.auth('auditor'))
        .send({ name: 'x', role: 'reader' })
        .expect(403);
      await api.http().get('/v1/admin/api-keys').send().expect(401);
      await api
        .http()
        .post('/v1/admin/api-keys')
        .set(api.auth('admin'))
        .send({ name: 'x', role: 'emperor' })
        .expect(400);
      await api
        .http()
        .post('/v1/admin/api-keys')
        .set(api.auth('admin'))
        .send({ name: '', role: 'reader' })
        .expect(400);
      await api
        .http()
        .delete('/v1/admin/api-keys/00000000-0000-4000-8000-000000000000')
        .set(api.auth('admin'))
        .expect(404);
      await api.http().delete('/v1/admin/api-keys/not-a-uuid').set(api.auth('admin')).expect(404);
    });
  });
});
