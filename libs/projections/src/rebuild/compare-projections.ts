// `verify --compare-projections`: is the live read model what the events say? In one snapshot,
// each projection's feed prefix (up to its live checkpoint) is folded by the same handlers into
// temporary copies of its tables, and every live row is compared with the rebuilt one.
import { comparePositions, EventStore, rowPosition } from '@app/event-store';
import type { FeedPosition } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../projections';
import { createTableCopy, ident, schemaOf } from './table-copies';

/**
 * Columns that depend on when a row was computed, not on the events: identity order, and the
 * moments a status was computed at or first seen (an incremental build sees them earlier).
 */
export const VOLATILE_COLUMNS = ['seq', 'status_computed_at', 'status_since'] as const;

export interface ProjectionDifference {
  projection: string;
  table: string;
  /** The row's primary key, as `column=value` pairs. */
  key: string;
  kind: 'missing' | 'unexpected' | 'different';
  live: Record<string, unknown> | null;
  expected: Record<string, unknown> | null;
}

export interface ProjectionComparison {
  ok: boolean;
  projectionsCompared: number;
  rowsCompared: number;
  eventsReplayed: number;
  differences: ProjectionDifference[];
}

const BATCH = 10_000;
/** Differences listed per table at most (the count beyond is still reported as not ok). */
const MAX_LISTED = 100;

export async function compareProjections(
  pool: Pool,
  options: { projections?: readonly Projection[]; now?: Date } = {},
): Promise<ProjectionComparison> {
  const projections = options.projections ?? PROJECTIONS;
  const now = options.now ?? new Date();
  const store = new EventStore(pool);
  const client = await pool.connect();
  const result: ProjectionComparison = {
    ok: true,
    projectionsCompared: 0,
    rowsCompared: 0,
    eventsReplayed: 0,
    differences: [],
  };
  try {
    // One snapshot: the live tables and their checkpoints as committed together.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const live = await schemaOf(client, 'projection_checkpoints');
    const { rows: checkpoints } = await client.query<{
      name: string;
      transaction_id: string;
      global_position: string;
    }>('SELECT name, transaction_id::text, global_position::text FROM projection_checkpoints');
    for (const projection of projections) {
      const checkpoint = checkpoints.find((c) => c.name === projection.name);
      if (!checkpoint) continue;
      const until: FeedPosition = {
        transactionId: BigInt(checkpoint.transaction_id),
        globalPosition: BigInt(checkpoint.global_position),
      };
      for (const table of projection.tables) await createTableCopy(client, live, table, null);
      result.eventsReplayed += await replayUntil(client, store, projection, until, now);
      for (const table of projection.tables) {
        const compared = await compareTable(client, projection.name, live, table);
        result.rowsCompared += compared.rows;
        result.differences.push(...compared.differences);
        if (compared.differences.length > 0) result.ok = false;
      }
      result.projectionsCompared += 1;
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
  return result;
}

/** Folds the feed up to `until` (inclusive) into the temporary tables. */
async function replayUntil(
  client: PoolClient,
  store: EventStore,
  projection: Projection,
  until: FeedPosition,
  now: Date,
): Promise<number> {
  const handled = new Set<string>(projection.handledEventTypes);
  let from: FeedPosition = { transactionId: 0n, globalPosition: 0n };
  let applied = 0;
  for (;;) {
    const rows = (await store.readFeedRows(from, BATCH, client)).filter(
      (r) => comparePositions(rowPosition(r), until) <= 0,
    );
    if (rows.length === 0) return applied;
    const events = rows.filter((r) => handled.has(r.event_type)).map((r) => store.toStoredEvent(r));
    if (events.length > 0) await projection.apply(events, client, now);
    applied += events.length;
    from = rowPosition(rows[rows.length - 1]);
    if (rows.length < BATCH) return applied;
  }
}

async function compareTable(
  client: PoolClient,
  projection: string,
  live: string,
  table: string,
): Promise<{ rows: number; differences: ProjectionDifference[] }> {
  const key = await rowKeyOf(client, live, table);
  const strip = `'{${VOLATILE_COLUMNS.join(',')}}'::text[]`;
  const keyOf = (alias: string) =>
    key.map((k) => `'${k}=' || coalesce(${alias}.j->>'${k}', 'null')`).join(` || ',' || `);
  const liveTable = `${ident(live)}.${ident(table)}`;
  const { rows } = await client.query<{
    key: string;
    live: Record<string, unknown> | null;
    expected: Record<string, unknown> | null;
  }>(
    `WITH l AS (SELECT to_jsonb(x) - ${strip} AS j FROM ${liveTable} x),
          e AS (SELECT to_jsonb(x) - ${strip} AS j FROM pg_temp.${ident(table)} x),
          only_live AS (SELECT ${keyOf('l')} AS key, l.j FROM l
                         WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.j = l.j)),
          only_expected AS (SELECT ${keyOf('e')} AS key, e.j FROM e
                             WHERE NOT EXISTS (SELECT 1 FROM l WHERE l.j = e.j))
     SELECT coalesce(ol.key, oe.key) AS key, ol.j AS live, oe.j AS expected
       FROM only_live ol FULL JOIN only_expected oe ON ol.key = oe.key
      ORDER BY 1 LIMIT ${MAX_LISTED}`,
  );
  const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${liveTable}`);
  return {
    rows: Number(count.rows[0].n),
    differences: rows.map((r): ProjectionDifference => ({
      projection,
      table,
      key: r.key,
      kind: r.live === null ? 'missing' : r.expected === null ? 'unexpected' : 'different',
      live: r.live,
      expected: r.expected,
    })),
  };
}

/**
 * The columns that name a row: the primary key, or the first unique key, that uses no volatile
 * column (the timeline's primary key is its seq; its feed position is unique).
 */
async function rowKeyOf(client: PoolClient, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum)) AS columns
       FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = format('%I.%I', $1::text, $2::text)::regclass AND i.indisunique
      GROUP BY i.indexrelid, i.indisprimary
      ORDER BY i.indisprimary DESC`,
    [schema, table],
  );
  const volatile = new Set<string>(VOLATILE_COLUMNS);
  const key = rows.find((r) => r.columns.every((c) => !volatile.has(c)));
  if (!key) throw new Error(`${table} has no unique key without a volatile column`);
  return key.columns;
}
