// A fresh, migrated database for one test file, cloned from the run's template.
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

let counter = 0;

export async function createTestDatabase(poolSize = 20): Promise<TestDatabase> {
  counter += 1;
  const name = `ceasefire_test_${runId()}_${process.pid}_${counter}`;
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
