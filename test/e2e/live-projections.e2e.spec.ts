// The whole loop with a real worker: writes wake the projectors through BullMQ, status moves with
// time with no new event, and with Redis gone writes still succeed and projections converge once
// it is back.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ApiHarness, october2025Agreement, startApi } from '../support/api-harness';
import { PrivateRedis } from '../support/private-redis';
import { queuePrefix } from '../support/test-environment';
import { until } from '../support/until';

const violation = (n: number) => ({
  agreementId: 'live',
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  location: { name: 'Gaza City', lat: 31.5, lon: 34.46, precision: 'approximate' },
  category: 'shelling',
  allegedPartyId: 'israel',
  description: `Shelling reported (report ${n})`,
  sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
});

describe('projections kept current by the worker', () => {
  let redis: PrivateRedis;
  let api: ApiHarness;
  let worker: INestApplicationContext;
  const prefix = `${queuePrefix()}_live`;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startApi({ REDIS_URL: redis.url, QUEUE_PREFIX: prefix });
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: api.db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.register(), { logger: false });
    process.env = saved;
    await api
      .http()
      .post('/v1/agreements')
      .set(api.auth('coordinator'))
      .send(october2025Agreement('live'))
      .expect(201);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await redis.stop();
  });

  const projectedViolations = async () =>
    Number(
      (await api.db.pool.query(`SELECT count(*) FROM proj_violations WHERE agreement_id = 'live'`))
        .rows[0].count,
    );

  it('projects a write within a second, woken through the queue', async () => {
    const before = await projectedViolations();
    const started = Date.now();
    await api.http().post('/v1/violations').set(api.auth('monitor')).send(violation(1)).expect(201);
    await until(
      'the violation row',
      async () => (await projectedViolations()) === before + 1,
      3000,
    );
    const lag = Date.now() - started;
    console.log(`append to projection row: ${lag} ms`);
    expect(lag).toBeLessThan(3000);
  });

  it('turns an obligation overdue when its deadline passes, with no new event', async () => {
    const dueAt = new Date(Date.now() + 2500).toISOString();
    await api
      .http()
      .post('/v1/agreements/live/obligations')
      .set(api.auth('coordinator'))
      .send({
        id: 'live-due-soon',
        phaseKey: 'phase-1',
        kind: 'withdrawal',
        title: 'Withdrawal to the agreed line',
        responsiblePartyId: 'israel',
        dueAt,
      })
      .expect(201);
    const status = async () =>
      (
        await api.db.pool.query(
          `SELECT status FROM proj_obligations WHERE obligation_id = 'live-due-soon'`,
        )
      ).rows[0]?.status as string | undefined;
    await until('the obligation row', async () => (await status()) === 'pending', 3000);
    const events = await api.eventCount();
    await until('overdue', async () => (await status()) === 'overdue', 8000);
    expect(await api.eventCount()).toBe(events);
  });

  it('accepts writes while Redis is down and converges once it is back', async () => {
    await until('caught up', async () => (await projectedViolations()) >= 1, 3000);
    const before = await projectedViolations();
    // BullMQ writes the errors of a queue or worker nobody listens to straight to stderr, one raw
    // stack trace per retry; the worker takes them and logs them (reportQueueErrors).
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await redis.stop();
    for (let i = 0; i < 10; i++) {
      await api
        .http()
        .post('/v1/violations')
        .set(api.auth('monitor'))
        .send(violation(100 + i))
        .expect(201);
    }
    const ready = await api.http().get('/health/ready').expect(503);
    expect(ready.body.message).toContain('redis');
    await redis.start();
    await until('converged', async () => (await projectedViolations()) === before + 10, 20000);
    await until(
      'ready again',
      async () => (await api.http().get('/health/ready')).status === 200,
      10000,
    );
    const written = stderr.mock.calls.map((args) => String(args[0]));
    stderr.mockRestore();
    expect(written).toEqual([]);
  });
});
