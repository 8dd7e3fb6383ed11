// Start-up: make sure the service's role and the database exist, the migrations have run and the
// service holds its privileges, safely from several processes at once (an advisory lock
// serialises migration runs).
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@app/migrations';
import { describeDatabaseUrl, withDatabase } from './connection';
import { grantServicePrivileges } from './service-grants';
import { DatabaseSetupError, ensureServiceRole, ServiceRole } from './service-role';

const MIGRATION_LOCK_KEY = 7_310_250_010;

export interface DatabasePreparation {
  role: ServiceRole;
  createdDatabase: boolean;
  /** Names of the migrations this run applied. */
  migrations: string[];
}

/** Everything start-up does as the owner (MIGRATIONS_DATABASE_URL) before the service connects. */
export async function prepareDatabase(
  ownerUrl: string,
  serviceUrl: string,
): Promise<DatabasePreparation> {
  const [owner, service] = [describeDatabaseUrl(ownerUrl), describeDatabaseUrl(serviceUrl)];
  if (owner.database !== service.database) {
    throw new DatabaseSetupError(
      `MIGRATIONS_DATABASE_URL names the database "${owner.database}" and DATABASE_URL ` +
        `"${service.database}": both must name the service's database`,
    );
  }
  const role = await ensureServiceRole(ownerUrl, serviceUrl);
  const createdDatabase = await ensureDatabaseExists(ownerUrl);
  const migrations = await runMigrations(ownerUrl, {
    serviceRole: role.restricted ? role.name : undefined,
  });
  return { role, createdDatabase, migrations };
}

export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const { database } = describeDatabaseUrl(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await admin.query(
        `CREATE DATABASE ${quoteIdent(database)} ENCODING 'UTF8' TEMPLATE template0`,
      );
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '42P04') return false; // created concurrently
      throw err;
    }
  } finally {
    await admin.end();
  }
}

/**
 * Runs pending migrations as the role of `url`, then (given the service's role, when it is another
 * one) grants that role its privileges, under the same lock: concurrent GRANTs on one table fail.
 */
export async function runMigrations(
  url: string,
  options: { serviceRole?: string } = {},
): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      migrations: MIGRATIONS,
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: false,
    });
    await dataSource.initialize();
    let ran: string[];
    try {
      ran = (await dataSource.runMigrations()).map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
    if (options.serviceRole) await grantServicePrivileges(lock, options.serviceRole);
    return ran;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
