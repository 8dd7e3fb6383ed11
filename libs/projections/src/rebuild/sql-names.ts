// Naming tables in generated SQL (schema and table names come from code, never from requests).
import type { PoolClient } from 'pg';

/** A quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The schema a table resolves to on this connection (where the migrations created it). */
export async function schemaOf(client: PoolClient, table: string): Promise<string> {
  const { rows } = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = $1::regclass`,
    [table],
  );
  return rows[0].schema;
}
