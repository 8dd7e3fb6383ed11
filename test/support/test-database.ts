// A fresh, migrated database for one test file, cloned from the run's template.
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createPool, grantDatabaseAccess, quoteIdent } from '../../libs/shared/src';
import {
  ADMIN_URL,
  databaseUrl,
  runId,
  serviceDatabaseUrl,
  serviceRoleName,
  templateDatabaseName,
} from './test-environment';

export interface TestDatabase {
  name: string;
  /** As the owner (TEST_DATABASE_URL's role), which `pool` uses. */
  url: string;
  /** As the run's service role: the privileges the apps have in production. */
  serviceUrl: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(poolSize = 20): Promise<TestDatabase> {
  // Unique across test files, not only within one: Jest runs the files of a worker process one
  // after another, each with its modules fresh, so a per-file counter and the pid named the next
  // file's database like the last one's, and a connection the last file left open (a pool, a
  // worker it started) reconnected into it and wrote there with its own clock.
  const name = `ceasefire_test_${runId()}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(
          `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateDatabaseName())}`,
        );
        break;
      } catch (err) {
        // Another worker is copying the same template at this instant: try again shortly.
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
    // The clone has the template's table grants but not its database-level ones.
    await grantDatabaseAccess(admin, name, serviceRoleName());
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const pool = createPool(url, { max: poolSize, idleInTransactionTimeoutMs: 60000 });
  return {
    name,
    url,
    serviceUrl: serviceDatabaseUrl(name),
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
