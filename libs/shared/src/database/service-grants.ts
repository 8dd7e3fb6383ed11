// What the service's role may do in the ledger database. Applied by the owner after every
// migration run, under the migration lock, whatever the roles are called: grants follow the
// tables a new migration adds on the next start, with no role name written into the migrations.
// The ledger is append-only for the service (PostgreSQL refuses it UPDATE, DELETE and TRUNCATE
// before the triggers would), and it can neither drop nor alter a ledger table nor switch its
// triggers off, which only an owner may. The read models are the service's own: its rebuilds
// create shadow schemas, drop the live proj_* tables and move the rebuilt ones in, which only
// their owner may do.
import type { ClientBase } from 'pg';
import { DatabaseSetupError } from './service-role';

type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** The owner's tables and what the service does with them (its code's SQL, nothing more). */
export const SERVICE_TABLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  events: ['SELECT', 'INSERT'],
  ledger_seals: ['SELECT', 'INSERT'],
  // append_events moves the stream head.
  streams: ['SELECT', 'INSERT', 'UPDATE'],
  // Revoking a key stamps revoked_at; keys are never deleted.
  api_keys: ['SELECT', 'INSERT', 'UPDATE'],
  idempotency_records: ['SELECT', 'INSERT'],
  // Catch-up locks its checkpoint (FOR UPDATE) and moves it.
  projection_checkpoints: ['SELECT', 'INSERT', 'UPDATE'],
  // A finished rebuild deletes its shadow checkpoint.
  projection_rebuilds: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Replay snapshots: verify marks a bad one rejected; retention deletes old ones (rows cascade).
  replay_snapshots: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  replay_snapshot_rows: ['SELECT', 'INSERT', 'DELETE'],
  replay_snapshot_feed: ['SELECT', 'UPDATE'],
  replay_snapshot_counts: ['SELECT', 'INSERT', 'UPDATE'],
};

/** Tables the service owns outright: the projections' read models. */
const SERVICE_OWNED_TABLE_PATTERN = 'proj\\_%';

export async function grantServicePrivileges(client: ClientBase, role: string): Promise<void> {
  const service = client.escapeIdentifier(role);
  const { rows } = await client.query<{ database: string; schema: string }>(
    'SELECT current_database() AS database, current_schema() AS schema',
  );
  const { database, schema } = rows[0];
  const qualified = (name: string) =>
    `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
  await client.query('BEGIN');
  try {
    await refuseTablesOwnedElsewhere(client, Object.keys(SERVICE_TABLE_PRIVILEGES));
    await grantDatabaseAccess(client, database, role);
    // A rebuilt table moves into the schema and its indexes are renamed there: both need CREATE.
    await client.query(
      `GRANT USAGE, CREATE ON SCHEMA ${client.escapeIdentifier(schema)} TO ${service}`,
    );
    // Exactly these privileges: anything granted by hand before is taken back.
    for (const [table, privileges] of Object.entries(SERVICE_TABLE_PRIVILEGES)) {
      await client.query(`REVOKE ALL ON TABLE ${qualified(table)} FROM ${service}`);
      await client.query(
        `GRANT ${privileges.join(', ')} ON TABLE ${qualified(table)} TO ${service}`,
      );
    }
    // Every function is SECURITY INVOKER: it can do only what the caller's table privileges
    // allow, so EXECUTE gives the service nothing more. Other roles of the server lose it.
    for (const routine of await ownRoutines(client)) {
      await client.query(`REVOKE EXECUTE ON ROUTINE ${routine} FROM PUBLIC`);
      await client.query(`GRANT EXECUTE ON ROUTINE ${routine} TO ${service}`);
    }
    // Only those a new migration created (or a first start found): ALTER OWNER locks the table.
    const { rows: foreign } = await client.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class
        WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
          AND relname LIKE $1 AND relowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)`,
      [SERVICE_OWNED_TABLE_PATTERN, role],
    );
    for (const { name } of foreign) {
      await client.query(`ALTER TABLE ${qualified(name)} OWNER TO ${service}`);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Connecting, the shadow schemas of rebuilds (CREATE) and the temporary tables of as-of replays.
 * A database cloned from a template does not inherit these: apply them to each clone.
 */
export async function grantDatabaseAccess(
  client: ClientBase,
  database: string,
  role: string,
): Promise<void> {
  await client.query(
    `GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${client.escapeIdentifier(database)} ` +
      `TO ${client.escapeIdentifier(role)}`,
  );
}

/**
 * GRANT by a role that does not own the table only warns: a ledger table left owned by another
 * role (a deployment that used to migrate as the service's role) must stop start-up instead.
 */
async function refuseTablesOwnedElsewhere(client: ClientBase, tables: string[]): Promise<void> {
  const { rows } = await client.query<{ name: string; owner: string }>(
    `SELECT relname AS name, relowner::regrole::text AS owner FROM pg_class
      WHERE relnamespace = current_schema()::regnamespace AND relname = ANY ($1)
        AND NOT pg_has_role(relowner, 'USAGE')`,
    [tables],
  );
  if (rows.length > 0) {
    const list = rows.map((r) => `${r.name} (owned by ${r.owner})`).join(', ');
    throw new DatabaseSetupError(
      `the migration role does not own ${list}; make it the owner ` +
        `(REASSIGN OWNED BY <old owner> TO <migration role>) and start again`,
    );
  }
}

/** The schema's functions and procedures, not those an extension brought. */
async function ownRoutines(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ routine: string }>(
    `SELECT p.oid::regprocedure::text AS routine FROM pg_proc p
      WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind IN ('f', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
  );
  return rows.map((r) => r.routine);
}
