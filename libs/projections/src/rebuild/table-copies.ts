// Copies of projection tables for rebuilds (a shadow schema), as-of replays and comparisons
// (temporary tables). A copy has the live table's columns, defaults, identity and checks, and its
// primary and unique keys (the handlers' ON CONFLICT needs them). The other indexes only serve
// reads: a bulk build is much faster without them, so a rebuild adds them once it has caught up,
// and a replay never needs them.
import type { PoolClient } from 'pg';

/** A quoted SQL identifier (schema and table names come from code, never from requests). */
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

/**
 * Creates `table` in `target` (a schema, or null for a temporary table dropped at commit) shaped
 * like `live.table`, with its primary and unique keys under the same names.
 */
export async function createTableCopy(
  client: PoolClient,
  live: string,
  table: string,
  target: string | null,
): Promise<void> {
  const source = `${ident(live)}.${ident(table)}`;
  const copy = target === null ? `pg_temp.${ident(table)}` : `${ident(target)}.${ident(table)}`;
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u') ORDER BY contype, conname`,
    [`${ident(live)}.${ident(table)}`],
  );
  await client.query(
    [
      target === null
        ? `CREATE TEMPORARY TABLE ${ident(table)} (LIKE ${source} INCLUDING ALL EXCLUDING INDEXES) ON COMMIT DROP`
        : `CREATE TABLE ${copy} (LIKE ${source} INCLUDING ALL EXCLUDING INDEXES)`,
      ...rows.map((c) => `ALTER TABLE ${copy} ADD CONSTRAINT ${ident(c.name)} ${c.definition}`),
    ].join(';\n'),
  );
}

/**
 * Adds to `target.table` every index of `live.table` that backs no constraint, under the live
 * names (index names are per schema). Idempotent: a resumed rebuild may have added some.
 */
export async function addReadIndexes(
  client: PoolClient,
  live: string,
  table: string,
  target: string,
): Promise<void> {
  const { rows } = await client.query<{ definition: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
      WHERE i.indrelid = $1::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [`${ident(live)}.${ident(table)}`],
  );
  for (const { definition } of rows) {
    // CREATE [UNIQUE] INDEX name ON live.table USING ... -> the same on target.table.
    const m = /^CREATE (UNIQUE )?INDEX (\S+) ON \S+ (USING .*)$/s.exec(definition);
    if (!m) throw new Error(`unexpected index definition: ${definition}`);
    await client.query(
      `CREATE ${m[1] ?? ''}INDEX IF NOT EXISTS ${m[2]} ON ${ident(target)}.${ident(table)} ${m[3]}`,
    );
  }
}
