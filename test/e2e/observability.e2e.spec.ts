// What an operator gets: JSON log lines that carry each request's correlation id and never a key,
// Prometheus metrics at /metrics (appends, projection lag, queues, open transactions, process),
// and Bull Board at /admin/queues for admin keys only.
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { ActorRole } from '../../libs/domain/src';
import { PROJECTIONS, ProjectionRunner } from '../../libs/projections/src';
import { QUEUES } from '../../libs/shared/src';
import { ADMIN_SECRET, october2025Agreement } from '../support/api-harness';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { queuePrefix, TEST_REDIS_URL } from '../support/test-environment';

/** A pino destination in memory: one JSON line per write. */
class CapturedLog {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

interface Booted {
  app: NestFastifyApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The API in-process on a fresh database, like the harness, but with its logs where we say. */
async function boot(env: Record<string, string>, log?: CapturedLog): Promise<Booted> {
  const db = await createTestDatabase(5);
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix(),
    ADMIN_API_KEY: ADMIN_SECRET,
    DATABASE_POOL_SIZE: '10',
    ...env,
  });
  try {
    const { createApp } = await import('../../apps/api/src/create-app');
    const app = await createApp(log ? { logDestination: log } : { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      db,
      http: () => request(app.getHttpServer()),
      close: async () => {
        await app.close();
        await db.drop();
      },
    };
  } finally {
    process.env = saved;
  }
}

async function createKey(api: Booted, role: ActorRole): Promise<string> {
  const res = await api
    .http()
    .post('/v1/admin/api-keys')
    .set('Authorization', `Bearer ${ADMIN_SECRET}`)
    .send({ name: `observability ${role}`, role })
    .expect(201);
  return res.body.key;
}

const basic = (password: string) =>
  `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

describe('observability', () => {
  const log = new CapturedLog();
  let api: Booted;
  let keys: Record<'coordinator' | 'reader', string>;
  const unknownKey = 'not-a-key-of-this-service-0123456789';

  beforeAll(async () => {
    api = await boot({ LOG_LEVEL: 'debug' }, log);
    // The worker creates the checkpoints; there is no worker here.
    await new ProjectionRunner(api.db.pool).ensureCheckpoints(PROJECTIONS);
    keys = {
      coordinator: await createKey(api, 'coordinator'),
      reader: await createKey(api, 'reader'),
    };
  });
  afterAll(() => api.close());

  describe('logs', () => {
    let sent: Record<'write' | 'read' | 'refused' | 'unnamed', string>;

    beforeAll(async () => {
      log.lines.length = 0; // start-up and key creation are not what this checks
      await api
        .http()
        .post('/v1/agreements')
        .set({ Authorization: `Bearer ${keys.coordinator}`, 'X-Request-Id': 'obs-write-1' })
        .send(october2025Agreement())
        .expect(201);
      await api
        .http()
        .get('/v1/agreements')
        .set({ Authorization: `Bearer ${keys.reader}`, 'X-Request-Id': 'obs-read-1' })
        .expect(200);
      await api
        .http()
        .get('/v1/agreements')
        .set({ Authorization: `Bearer ${unknownKey}`, 'X-Request-Id': 'obs-refused-1' })
        .expect(401);
      const unnamed = await api
        .http()
        .get('/v1/agreements')
        .set('Authorization', `Bearer ${keys.reader}`)
        .expect(200);
      sent = {
        write: 'obs-write-1',
        read: 'obs-read-1',
        refused: 'obs-refused-1',
        unnamed: String(unnamed.headers['x-request-id']),
      };
      // A request's last line is written when its response finishes.
      for (let i = 0; i < 100 && log.entries().filter(isCompletion).length < 4; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    });

    const isCompletion = (e: Record<string, unknown>) => e.msg === 'request completed';

    it('every line written while requests are handled is JSON and carries the request id', () => {
      const entries = log.entries();
      expect(entries.length).toBeGreaterThanOrEqual(5);
      for (const entry of entries) {
        expect(Object.values(sent)).toContain(entry.correlationId);
        expect(entry).toMatchObject({ app: 'api', level: expect.any(String) });
      }
    });

    it('a write logs its append (debug) and one completed line, both with its id', () => {
      const lines = log.entries().filter((e) => e.correlationId === sent.write);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'debug',
          context: 'appends',
          msg: 'events appended',
          streamId: 'agreement-gaza-2025-10',
        }),
        expect.objectContaining({
          level: 'info',
          msg: 'request completed',
          method: 'POST',
          url: '/v1/agreements',
          statusCode: 201,
          responseTime: expect.any(Number),
        }),
      ]);
    });

    it('a request without X-Request-Id logs under the id it was answered with', () => {
      expect(sent.unnamed).toMatch(/^[0-9a-f-]{36}$/);
      const lines = log.entries().filter((e) => e.correlationId === sent.unnamed);
      expect(lines).toEqual([expect.objectContaining({ statusCode: 200 })]);
    });

    it('no line holds an API key, known or not', () => {
      const text = log.lines.join('');
      for (const secret of [ADMIN_SECRET, keys.coordinator, keys.reader, unknownKey]) {
        expect(text).not.toContain(secret);
      }
      expect(text.toLowerCase()).not.toContain('authorization');
    });
  });

  describe('metrics', () => {
    let text: string;

    beforeAll(async () => {
      const res = await api.http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      text = res.text;
    });

    it('are served without a key, with appends counted by event type and timed', () => {
      expect(text).toMatch(/^ceasefire_events_appended_total\{type="AgreementRegistered"\} 1$/m);
      expect(text).toMatch(/^ceasefire_append_duration_seconds_count\{outcome="committed"\} 1$/m);
      expect(text).toMatch(
        /^ceasefire_append_duration_seconds_bucket\{le="0.1",outcome="committed"\} /m,
      );
    });

    it('show the lag of every projection, in events and in seconds', () => {
      for (const projection of PROJECTIONS) {
        expect(text).toMatch(
          new RegExp(
            `^ceasefire_projection_lag_events\\{projection="${projection.name}"\\} \\d+$`,
            'm',
          ),
        );
        expect(text).toMatch(
          new RegExp(
            `^ceasefire_projection_lag_seconds\\{projection="${projection.name}"\\} [\\d.e-]+$`,
            'm',
          ),
        );
      }
    });

    it('show the jobs of every queue by state, and the oldest open transaction', () => {
      for (const queue of Object.values(QUEUES)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect(text).toMatch(
            new RegExp(`^ceasefire_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+$`, 'm'),
          );
        }
      }
      expect(text).toMatch(/^ceasefire_oldest_open_transaction_seconds [\d.e-]+$/m);
      for (const collector of ['projection_lag', 'queues', 'open_transactions']) {
        expect(text).toContain(`ceasefire_metrics_collector_up{collector="${collector}"} 1`);
      }
    });

    it('include the default process and Node.js metrics', () => {
      for (const name of [
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
      ]) {
        expect(text).toMatch(new RegExp(`^${name}`, 'm'));
      }
    });
  });

  describe('Bull Board', () => {
    it('asks for credentials without a key, or with an unknown one', async () => {
      for (const authorization of [undefined, `Bearer ${unknownKey}`, basic(unknownKey)]) {
        const req = api.http().get('/admin/queues');
        const res = await (authorization ? req.set('Authorization', authorization) : req).expect(
          401,
        );
        expect(res.headers['www-authenticate']).toBe('Basic realm="queues"');
        expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      }
    });

    it('refuses a key without the admin role', async () => {
      for (const authorization of [`Bearer ${keys.reader}`, basic(keys.reader)]) {
        const res = await api
          .http()
          .get('/admin/queues')
          .set('Authorization', authorization)
          .expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      }
    });

    it('opens for the admin key, as a bearer token or as the Basic password', async () => {
      for (const authorization of [`Bearer ${ADMIN_SECRET}`, basic(ADMIN_SECRET)]) {
        const page = await api
          .http()
          .get('/admin/queues')
          .set('Authorization', authorization)
          .expect(200);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
      }
    });

    it('shows every queue', async () => {
      const res = await api
        .http()
        .get('/admin/queues/api/queues')
        .set('Authorization', basic(ADMIN_SECRET))
        .expect(200);
      const names = (res.body.queues as Array<{ name: string }>).map((q) => q.name).sort();
      expect(names).toEqual(Object.values(QUEUES).sort());
    });
  });
});

describe('metrics with Redis unreachable', () => {
  let api: Booted;

  beforeAll(async () => {
    api = await boot({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => api.close());

  it('still answers, with what PostgreSQL gives and the queues marked down', async () => {
    const { text } = await api.http().get('/metrics').expect(200);
    expect(text).toContain('ceasefire_metrics_collector_up{collector="queues"} 0');
    expect(text).toContain('ceasefire_metrics_collector_up{collector="open_transactions"} 1');
    expect(text).not.toMatch(/^ceasefire_queue_jobs\{/m);
    expect(text).toMatch(/^ceasefire_oldest_open_transaction_seconds [\d.e-]+$/m);
  });
});

describe('metrics on METRICS_PORT', () => {
  let api: Booted;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    api = await boot({ METRICS_PORT: String(port), HOST: '127.0.0.1' });
  });
  afterAll(() => api.close());

  it('are served on that port only', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE ceasefire_events_appended_total counter');
    await api.http().get('/metrics').expect(404);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
