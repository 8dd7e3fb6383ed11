// The API-key endpoints against API.md: idempotent creation that never stores the secret, a paged
// list that shows no part of an operator-chosen secret, strict query parameters, OpenAPI.
import { ensureApiKey } from '@app/shared/api-keys/api-keys.store';
import { ADMIN_SECRET, ApiHarness, startApi } from '../../../../../test/support/api-harness';

interface KeyItem {
  id: string;
  name: string;
  keyPrefix: string | null;
}

describe('managing API keys (HTTP)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const keyCount = async () =>
    Number((await api.db.pool.query('SELECT count(*) FROM api_keys')).rows[0].count);
  const create = (body: object, idempotencyKey?: string) => {
    const req = api.http().post('/v1/admin/api-keys').set(api.auth('admin'));
    if (idempotencyKey) void req.set('Idempotency-Key', idempotencyKey);
    return req.send(body);
  };

  describe('POST /v1/admin/api-keys with an Idempotency-Key', () => {
    it('answers a retry with the first answer without the secret, and creates one key', async () => {
      const before = await keyCount();
      const first = await create({ name: 'retried desk', role: 'reader' }, 'keys-1').expect(201);
      expect(first.body).toEqual({
        id: expect.any(String),
        name: 'retried desk',
        role: 'reader',
        keyPrefix: first.body.key.slice(0, 10),
        createdAt: expect.any(String),
        revokedAt: null,
        key: expect.stringMatching(/^cfl_[A-Za-z0-9_-]{43}$/),
      });
      const again = await create({ name: 'retried desk', role: 'reader' }, 'keys-1').expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const { key: secret, ...shown } = first.body;
      expect(again.body).toEqual(shown);
      expect(await keyCount()).toBe(before + 1);
      // The secret is nowhere in the database, not even in the idempotency record.
      const { rows } = await api.db.pool.query(
        `SELECT response_body::text AS body FROM idempotency_records WHERE idempotency_key = 'keys-1'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].body).not.toContain(secret);
      await api.http().get('/v1/agreements').set('Authorization', `Bearer ${secret}`).expect(200);
    });

    it('refuses the same key with another body (422) and creates nothing', async () => {
      await create({ name: 'desk a', role: 'monitor' }, 'keys-2').expect(201);
      const before = await keyCount();
      const res = await create({ name: 'desk b', role: 'monitor' }, 'keys-2').expect(422);
      expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await keyCount()).toBe(before);
    });

    it('creates one key when the same request arrives several times at once', async () => {
      const before = await keyCount();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          create({ name: 'racing desk', role: 'verifier' }, 'keys-3'),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(answers.filter((a) => a.body.key !== undefined)).toHaveLength(1);
      expect(await keyCount()).toBe(before + 1);
    });

    it('refuses a malformed Idempotency-Key with 400', async () => {
      const before = await keyCount();
      await create({ name: 'desk', role: 'reader' }, 'has space').expect(400);
      expect(await keyCount()).toBe(before);
    });
  });

  describe('GET /v1/admin/api-keys', () => {
    it('pages through every key, oldest first, with limit and cursor', async () => {
      for (let i = 0; i < 3; i++) await create({ name: `paged ${i}`, role: 'reader' }).expect(201);
      const all = await api
        .http()
        .get('/v1/admin/api-keys?limit=500')
        .set(api.auth('admin'))
        .expect(200);
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items).toHaveLength(await keyCount());
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: KeyItem[]; nextCursor: string | null } } = await api
          .http()
          .get(`/v1/admin/api-keys?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
          .set(api.auth('admin'))
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        paged.push(...res.body.items.map((k: KeyItem) => k.id));
        cursor = res.body.nextCursor;
      } while (cursor !== null);
      expect(paged).toEqual(all.body.items.map((k: KeyItem) => k.id));
      const firstPage = await api.http().get('/v1/admin/api-keys').set(api.auth('admin'));
      expect(firstPage.body.items.length).toBe(Math.min(50, all.body.items.length));
    });

    it('refuses bad and unknown query parameters with 400', async () => {
      for (const query of [
        'limit=abc',
        'limit=0',
        'limit=501',
        'foo=1',
        'limit=abc&foo=1',
        'cursor=Zm9yZ2Vk',
        'cursor=not%20base64',
        'limit=1&limit=2',
      ]) {
        const res = await api.http().get(`/v1/admin/api-keys?${query}`).set(api.auth('admin'));
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });

    it('shows no part of the ADMIN_API_KEY secret, and only the fixed prefix and 6 characters of a generated key', async () => {
      const created = await create({ name: 'prefixed', role: 'auditor' }).expect(201);
      const res = await api
        .http()
        .get('/v1/admin/api-keys?limit=500')
        .set(api.auth('admin'))
        .expect(200);
      const bootstrap = res.body.items.find((k: KeyItem) => k.name === 'bootstrap admin');
      expect(bootstrap.keyPrefix).toBeNull();
      const generated = res.body.items.find((k: KeyItem) => k.id === created.body.id);
      expect(generated.keyPrefix).toBe(created.body.key.slice(0, 10));
      expect(JSON.stringify(res.body)).not.toContain(ADMIN_SECRET.slice(0, 6));
      const { rows } = await api.db.pool.query(
        `SELECT key_prefix FROM api_keys WHERE name = 'bootstrap admin'`,
      );
      expect(rows).toEqual([{ key_prefix: '' }]);
    });

    it('hides, and at the next start-up wipes, the secret characters older versions kept for ADMIN_API_KEY', async () => {
      await api.db.pool.query(
        `UPDATE api_keys SET key_prefix = $1 WHERE name = 'bootstrap admin'`,
        [ADMIN_SECRET.slice(0, 6)],
      );
      const res = await api
        .http()
        .get('/v1/admin/api-keys?limit=500')
        .set(api.auth('admin'))
        .expect(200);
      expect(
        res.body.items.find((k: KeyItem) => k.name === 'bootstrap admin').keyPrefix,
      ).toBeNull();
      await ensureApiKey(api.db.pool, 'bootstrap admin', 'admin', ADMIN_SECRET);
      const { rows } = await api.db.pool.query(
        `SELECT key_prefix, revoked_at FROM api_keys WHERE name = 'bootstrap admin'`,
      );
      expect(rows).toEqual([{ key_prefix: '', revoked_at: null }]);
    });
  });

  describe('DELETE /v1/admin/api-keys/:id', () => {
    it('refuses unknown query parameters with 400 and revokes nothing', async () => {
      const created = await create({ name: 'kept', role: 'reader' }).expect(201);
      const res = await api
        .http()
        .delete(`/v1/admin/api-keys/${created.body.id}?force=1`)
        .set(api.auth('admin'))
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: ['force: unknown field'],
      });
      await api
        .http()
        .get('/v1/agreements')
        .set('Authorization', `Bearer ${created.body.key}`)
        .expect(200);
      const revoked = await api
        .http()
        .delete(`/v1/admin/api-keys/${created.body.id}`)
        .set(api.auth('admin'))
        .expect(200);
      expect(revoked.body).toEqual({ id: created.body.id, revoked: true });
    });
  });

  it('is described in the OpenAPI document, with an API-key bearer scheme', async () => {
    const doc = (await api.http().get('/docs-json').expect(200)).body;
    const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` });
    const keys = doc.paths['/v1/admin/api-keys'];
    expect(keys.post.responses['201'].content['application/json'].schema).toEqual(
      ref('CreatedApiKeyView'),
    );
    expect(keys.post.responses['422']).toBeDefined();
    expect(keys.post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    expect(keys.post.description).toMatch(/revokes that key and creates another/);
    expect(keys.get.responses['200'].content['application/json'].schema).toEqual(
      ref('ApiKeyPageView'),
    );
    expect(keys.get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor']),
    );
    expect(
      doc.paths['/v1/admin/api-keys/{id}'].delete.responses['200'].content['application/json']
        .schema,
    ).toEqual(ref('RevokedApiKeyView'));
    const schemas = doc.components.schemas;
    expect(schemas.ApiKeyPageView.properties.items.items).toEqual(ref('ApiKeyView'));
    expect(schemas.ApiKeyView.properties.keyPrefix.nullable).toBe(true);
    expect(schemas.CreatedApiKeyView.required ?? []).not.toContain('key');
    expect(schemas.CreatedApiKeyView.properties.key).toBeDefined();
    const rebuild = doc.paths['/v1/admin/projections/{name}/rebuild'].post;
    expect(rebuild.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    expect(rebuild.requestBody?.required ?? false).toBe(false);
    expect(doc.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'API key',
    });
  });
});
