// Global setup runs outside Jest's module mapper: resolve the path aliases here.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import { quoteIdent, runMigrations } from '../../libs/shared/src';
import { ADMIN_URL, databaseUrl, templateDatabaseName } from './test-environment';

/** Creates this run's template database once (both Jest projects share it) and migrates it. */
export default async function globalSetup(): Promise<void> {
  if (!process.env.CEASEFIRE_TEST_RUN) {
    process.env.CEASEFIRE_TEST_RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  }
  const name = templateDatabaseName();
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(name));
}
