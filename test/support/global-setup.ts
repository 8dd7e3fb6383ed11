// Global setup runs outside Jest's module mapper: resolve the path aliases here.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import { ensureServiceRole, quoteIdent, runMigrations } from '../../libs/shared/src';
import {
  ADMIN_URL,
  databaseUrl,
  serviceDatabaseUrl,
  serviceRoleName,
  templateDatabaseName,
} from './test-environment';
import { sweepStaleRuns } from './test-runs';

/**
 * Creates this run's service role and template database once (every Jest project shares them),
 * migrates the template and grants the role what the service's role gets in production. First,
 * drops what runs that died before their teardown left (runs older than six hours).
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.CEASEFIRE_TEST_RUN) {
    process.env.CEASEFIRE_TEST_RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    await sweepStaleRuns();
  }
  const name = templateDatabaseName();
  await ensureServiceRole(ADMIN_URL, serviceDatabaseUrl(name));
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(name), { serviceRole: serviceRoleName() });
}
