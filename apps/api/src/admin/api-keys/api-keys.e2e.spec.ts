// Keys are cached per process; a revocation must still be refused everywhere.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ADMIN_SECRET, ApiHarness, startApi } from '../../../../../test/support/api-harness';
import { queuePrefix, TEST_REDIS_URL } from '../../../../../test/support/test-environment';

describe('API key revocation across processes', () => {
  let a: ApiHarness;
  let b: NestFastifyApplication;

  beforeAll(async () => {
    a = await startApi();
    // A second API instance on the same database, as another replica would be.
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: a.db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix(),
      ADMIN_API_KEY: ADMIN_SECRET,
    });
    const { createApp } = await import('../../create-app');
    b = await createApp({ logger: false });
    await b.init();
    await b.getHttpAdapter().getInstance().ready();
    process.env = saved;
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('refuses a key revoked on one replica on the others once PostgreSQL notifies them', async () => {
    const created = await a
      .http()
      .post('/v1/admin/api-keys')
      .set(a.auth('admin'))
      .send({ name: 'replica test', role: 'auditor' })
      .expect(201);
    const onB = () =>
      request(b.getHttpServer())
        .get('/v1/events?limit=1')
        .set('Authorization', `Bearer ${created.body.key}`);
    await onB().expect(200); // now cached on B
    await onB().expect(200);
    await a.http().delete(`/v1/admin/api-keys/${created.body.id}`).set(a.auth('admin')).expect(200);
    await a
      .http()
      .get('/v1/events?limit=1')
      .set('Authorization', `Bearer ${created.body.key}`)
      .expect(401); // same replica: at once
    const started = Date.now();
    let status = 200;
    while (Date.now() - started < 2000 && status !== 401) {
      status = (await onB()).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 5));
    }
    expect(status).toBe(401);
    console.log(`revocation reached the other replica within ${Date.now() - started} ms`);
  });

  it('still authenticates correctly with many keys in use', async () => {
    const keys = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        a
          .http()
          .post('/v1/admin/api-keys')
          .set(a.auth('admin'))
          .send({ name: `k${i}`, role: 'reader' }),
      ),
    );
    for (const k of keys) {
      await request(b.getHttpServer())
        .get('/v1/events')
        .set('Authorization', `Bearer ${k.body.key}`)
        .expect(403);
      await request(b.getHttpServer())
        .get('/v1/events')
        .set('Authorization', `Bearer ${k.body.key}x`)
        .expect(401);
    }
  });
});
