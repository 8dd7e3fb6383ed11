// The processes refuse to start on bad configuration or missing dependencies, saying which and
// where; with both present, the API answers its health checks.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { queuePrefix, TEST_REDIS_URL } from '../support/test-environment';
import { TS_NODE_ARGS } from '../support/ts-node';

const ROOT = join(__dirname, '..', '..');

function runApp(
  app: 'api' | 'worker',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, join(ROOT, `apps/${app}/src/main.ts`)],
      { cwd: ROOT, env: { ...process.env, ...env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('start-up', () => {
  it('stops with a message naming a bad variable', async () => {
    const { code, output } = await runApp('api', { PORT: 'not-a-port' });
    expect(code).toBe(1);
    expect(output).toContain('PORT must be an integer');
  });

  it('says PostgreSQL is unreachable, where, and how to start one', async () => {
    const { code, output } = await runApp('api', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere_test',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:1 .*\n.*Start one/);
  });

  it('says Redis is unreachable, where, and how to start one', async () => {
    const { code, output } = await runApp('worker', { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(output).toMatch(
      /Redis is not reachable at 127\.0\.0\.1:1 \(ECONNREFUSED\)\.\n.*Start one/,
    );
  });
});

describe('health', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    process.env = { ...saved };
  });
  afterAll(() => db.drop());

  async function boot(env: Record<string, string>) {
    Object.assign(process.env, { DATABASE_URL: db.url, QUEUE_PREFIX: queuePrefix(), ...env });
    const { createApp } = await import('../../apps/api/src/create-app');
    app = await createApp({ logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }

  it('answers liveness and readiness when PostgreSQL and Redis answer', async () => {
    const server = (await boot({ REDIS_URL: TEST_REDIS_URL })).getHttpServer();
    await request(server).get('/health').expect(200);
    const ready = await request(server).get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({
      postgres: { status: 'up' },
      redis: { status: 'up' },
    });
  });

  it('answers 503 naming redis when Redis does not answer', async () => {
    const server = (await boot({ REDIS_URL: 'redis://127.0.0.1:1' })).getHttpServer();
    await request(server).get('/health').expect(200);
    const ready = await request(server).get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({
      statusCode: 503,
      code: 'UNAVAILABLE',
      message: 'not ready: redis',
    });
    expect(ready.body.details).toMatchObject({
      postgres: { status: 'up' },
      redis: { status: 'down' },
    });
  });

  it('answers unknown routes in the contract error shape', async () => {
    const server = (await boot({ REDIS_URL: TEST_REDIS_URL })).getHttpServer();
    const res = await request(server).get('/v1/nothing-here').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: expect.any(String),
    });
  });
});
