// What a test run leaves on the servers (databases and roles named ceasefire_test_<run>_..., Redis
// keys under ceasefire_test_<run>), dropping it, and sweeping what runs that died before their
// teardown (a killed `jest`) left behind.
import { Client } from 'pg';
import Redis from 'ioredis';
import { quoteIdent } from '../../libs/shared/src';
import { ADMIN_URL, queuePrefix, TEST_REDIS_URL } from './test-environment';

/** Runs older than this are dead: no test run lasts six hours. */
export const STALE_RUN_AGE_MS = 6 * 3600_000;
const RUN_NAME = /^ceasefire_test_([0-9a-z]+)_/;
const EARLIEST = Date.UTC(2024, 0, 1);

/**
 * When a run started: its id begins with Date.now() in base 36 (8 digits until 2059). Null for an
 * id set by hand that does not decode to a plausible time (never swept).
 */
export function runStartedAt(id: string, now = Date.now()): number | null {
  const ms = parseInt(id.slice(0, 8), 36);
  return id.length >= 8 && ms >= EARLIEST && ms <= now ? ms : null;
}

/** Drops every database, role and Redis key of a run. Roles go after the databases. */
export async function dropRun(id: string): Promise<void> {
  const pattern = `ceasefire\\_test\\_${id}\\_%`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [pattern],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
    const roles = await admin.query<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
      [pattern],
    );
    for (const { rolname } of roles.rows) {
      await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(rolname)}`);
    }
  } finally {
    await admin.end();
  }
  await withRedis(async (redis) => {
    for await (const keys of scanKeys(redis, queuePrefix(id))) await redis.del(...keys);
  });
}

/**
 * Drops what runs older than `olderThanMs` left on PostgreSQL and Redis. Returns their ids.
 */
export async function sweepStaleRuns(
  olderThanMs = STALE_RUN_AGE_MS,
  now = Date.now(),
): Promise<string[]> {
  const ids = new Set<string>();
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ name: string }>(
      `SELECT datname AS name FROM pg_database WHERE datname LIKE 'ceasefire\\_test\\_%'
       UNION SELECT rolname FROM pg_roles WHERE rolname LIKE 'ceasefire\\_test\\_%'`,
    );
    for (const { name } of rows) {
      const id = RUN_NAME.exec(name)?.[1];
      if (id) ids.add(id);
    }
  } finally {
    await admin.end();
  }
  await withRedis(async (redis) => {
    for await (const keys of scanKeys(redis, 'ceasefire_test_')) {
      for (const key of keys) {
        const id = /^\{?ceasefire_test_([0-9a-z]+)(?![0-9a-z])/.exec(key)?.[1];
        if (id) ids.add(id);
      }
    }
  });
  const stale = [...ids].filter((id) => {
    const started = runStartedAt(id, now);
    return started !== null && now - started > olderThanMs;
  });
  for (const id of stale) await dropRun(id);
  return stale;
}

async function withRedis(work: (redis: Redis) => Promise<void>): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await work(redis);
  } catch {
    // Redis not running: nothing of a run can be in it.
  } finally {
    redis.disconnect();
  }
}

/**
 * The keys under `prefix`, a page at a time: BullMQ's start with it, the rate limiter's carry it
 * inside a hash tag (`{<prefix>:rate-limit:...}:hits`).
 */
async function* scanKeys(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  for (const match of [`${prefix}*`, `{${prefix}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      if (keys.length) yield keys;
      cursor = next;
    } while (cursor !== '0');
  }
}
