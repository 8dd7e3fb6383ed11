// Global setup runs outside Jest's module mapper: resolve the path aliases here.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import Redis from 'ioredis';
import { quoteIdent } from '../../libs/shared/src';
import { ADMIN_URL, queuePrefix, runId, TEST_REDIS_URL } from './test-environment';

/**
 * Drops every database, role and Redis key this run made (idempotent: both projects call it).
 * Roles go after the databases, where their privileges and objects were.
 */
export default async function globalTeardown(): Promise<void> {
  const id = runId();
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`ceasefire\\_test\\_${id}\\_%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
    const roles = await admin.query<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
      [`ceasefire\\_test\\_${id}\\_%`],
    );
    for (const { rolname } of roles.rows) {
      await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(rolname)}`);
    }
  } finally {
    await admin.end();
  }
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix(id)}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis not running: nothing of ours can be in it.
  } finally {
    redis.disconnect();
  }
}
