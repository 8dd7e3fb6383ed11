// A killed `jest` never runs its teardown: the next run's setup sweeps what it left.
import { Client } from 'pg';
import Redis from 'ioredis';
import { ADMIN_URL, runId, TEST_REDIS_URL } from './test-environment';
import { runStartedAt, STALE_RUN_AGE_MS, sweepStaleRuns } from './test-runs';

// The rate limiter's keys carry the prefix inside a hash tag.
const rateLimitKey = (id: string) => `{ceasefire_test_${id}:rate-limit:key:k:default}:hits`;
const runAt = (ms: number) => `${ms.toString(36)}zz${Math.random().toString(36).slice(2, 4)}`;

describe('stale test runs', () => {
  const now = Date.now();
  const stale = runAt(now - STALE_RUN_AGE_MS - 60_000);
  const recent = runAt(now - 60_000);
  let admin: Client;
  let redis: Redis;

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    for (const id of [stale, recent]) {
      await admin.query(`CREATE DATABASE "ceasefire_test_${id}_tpl" TEMPLATE template0`);
      await admin.query(`CREATE ROLE "ceasefire_test_${id}_app"`);
      await redis.set(`ceasefire_test_${id}:projections:meta`, '1');
      await redis.set(rateLimitKey(id), '1');
    }
  });
  afterAll(async () => {
    for (const id of [stale, recent]) {
      await admin.query(`DROP DATABASE IF EXISTS "ceasefire_test_${id}_tpl" WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS "ceasefire_test_${id}_app"`);
      await redis.del(`ceasefire_test_${id}:projections:meta`, rateLimitKey(id));
    }
    await admin.end();
    redis.disconnect();
  });

  const left = async (id: string) => {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM pg_database WHERE datname LIKE $1)
            + (SELECT count(*) FROM pg_roles WHERE rolname LIKE $1) AS n`,
      [`ceasefire\\_test\\_${id}\\_%`],
    );
    return (
      Number(rows[0].n) +
      (await redis.exists(`ceasefire_test_${id}:projections:meta`, rateLimitKey(id)))
    );
  };

  it('drops the databases, roles and Redis keys of runs older than six hours, and no others', async () => {
    expect(await left(stale)).toBe(4);
    const swept = await sweepStaleRuns(STALE_RUN_AGE_MS, now);
    expect(swept).toContain(stale);
    expect(swept).not.toContain(recent);
    expect(swept).not.toContain(runId());
    expect(await left(stale)).toBe(0);
    expect(await left(recent)).toBe(4);
  });

  it('reads a run id as the time it was made, and never sweeps an id set by hand', () => {
    expect(runStartedAt(runAt(now - 1000), now)).toBe(now - 1000);
    expect(runStartedAt('ci', now)).toBeNull();
    expect(runStartedAt('00000000ab', now)).toBeNull();
    expect(runStartedAt('zzzzzzzzab', now)).toBeNull();
  });
});
