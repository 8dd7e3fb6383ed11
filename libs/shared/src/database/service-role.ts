// The service's own database role (the user of DATABASE_URL), set up by the owner role that runs
// the migrations (the user of MIGRATIONS_DATABASE_URL). Start-up creates the service role when it
// is missing and the owner may create roles (a superuser, or CREATEROLE as on managed PostgreSQL),
// and makes the owner a member of it: the service owns the proj_* tables (its rebuilds drop and
// replace them), so a migration that alters one of them needs the owner to act for the service.
import { Client } from 'pg';
import { describeDatabaseUrl, withDatabase } from './connection';

/** Serialises role set-up between processes starting at once (CREATE ROLE and GRANT race). */
const ROLE_LOCK_KEY = 7_310_250_030;

/** Start-up cannot give the service a role it may use; the message says what to do. */
export class DatabaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseSetupError';
  }
}

export interface ServiceRole {
  /** The role of DATABASE_URL. */
  name: string;
  /** The role the migrations run as. */
  owner: string;
  /**
   * False when the grants cannot bind the service: its role also runs the migrations (so it owns
   * every table) or is a superuser. Only the triggers guard the ledger then.
   */
  restricted: boolean;
  created: boolean;
}

export async function ensureServiceRole(
  ownerUrl: string,
  serviceUrl: string,
): Promise<ServiceRole> {
  const name = describeDatabaseUrl(serviceUrl).user;
  const password = decodeURIComponent(new URL(serviceUrl).password);
  // The service's database may not exist yet; roles are the server's, so any database will do.
  const client = new Client({ connectionString: withDatabase(ownerUrl, 'postgres') });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [ROLE_LOCK_KEY]);
    const { rows } = await client.query<{
      owner: string;
      may_create: boolean;
      exists: boolean;
      member: boolean;
      service_superuser: boolean | null;
    }>(
      `SELECT current_user AS owner, (rolsuper OR rolcreaterole) AS may_create,
              EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists,
              CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                   THEN pg_has_role($1, 'USAGE') ELSE false END AS member,
              (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS service_superuser
         FROM pg_roles WHERE rolname = current_user`,
      [name],
    );
    const { owner, may_create: mayCreate, exists, member, service_superuser } = rows[0];
    if (name === owner || service_superuser) {
      await client.query('COMMIT');
      return { name, owner, restricted: false, created: false };
    }
    const role = client.escapeIdentifier(name);
    if (!exists) {
      if (!mayCreate) {
        throw new DatabaseSetupError(
          `the service's role "${name}" (DATABASE_URL) does not exist, and the migration role ` +
            `"${owner}" (MIGRATIONS_DATABASE_URL) may not create roles. Create it: ` +
            `CREATE ROLE ${role} LOGIN PASSWORD '...'; GRANT ${role} TO ${client.escapeIdentifier(owner)};`,
        );
      }
      // Under trust authentication a URL carries no password, and the role needs none.
      await client.query(
        `CREATE ROLE ${role} LOGIN${password ? ` PASSWORD ${client.escapeLiteral(password)}` : ''}`,
      );
    }
    if (!member) await grantMembership(client, name, owner);
    await grantStatsReading(client, name);
    await client.query('COMMIT');
    return { name, owner, restricted: true, created: !exists };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

async function grantMembership(client: Client, name: string, owner: string): Promise<void> {
  const grant = `GRANT ${client.escapeIdentifier(name)} TO ${client.escapeIdentifier(owner)}`;
  try {
    await client.query(grant);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    throw new DatabaseSetupError(
      `the migration role "${owner}" must be a member of the service's role "${name}" (it owns ` +
        `the proj_* tables that migrations alter), and may not make itself one. As an ` +
        `administrator: ${grant};`,
    );
  }
}

/**
 * The metrics report the oldest transaction open on the server, and PostgreSQL shows other roles'
 * transactions only to members of pg_read_all_stats. Granted when the owner may (a superuser, or
 * a role holding it with ADMIN OPTION); elsewhere the README says how.
 */
async function grantStatsReading(client: Client, name: string): Promise<void> {
  const { rows } = await client.query<{ has: boolean; may_grant: boolean }>(
    `SELECT pg_has_role($1, 'pg_read_all_stats', 'USAGE') AS has,
            pg_has_role('pg_read_all_stats', 'MEMBER WITH ADMIN OPTION') AS may_grant`,
    [name],
  );
  if (!rows[0].has && rows[0].may_grant) {
    await client.query(`GRANT pg_read_all_stats TO ${client.escapeIdentifier(name)}`);
  }
}
