// Replay snapshots in the database: which one an as-of replay may start from, restoring its rows
// into the replay's temporary tables, writing a new one from temporary tables, and what the
// events it covers hash to. The builder (snapshot job), the replay and the verifier share these.
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../../projection';
import { PROJECTIONS } from '../../projections';
import { ident } from '../../rebuild/table-copies';
import type { FeedPoint } from '../agreement-events';

/** The projections as-of reads are answered from (compliance, obligation and violation reads). */
export const SNAPSHOT_PROJECTION_NAMES = [
  'agreements',
  'obligations',
  'violations',
  'casualty-tallies',
] as const;

export function snapshotProjections(
  projections: readonly Projection[] = PROJECTIONS,
): Projection[] {
  return projections.filter((p) =>
    (SNAPSHOT_PROJECTION_NAMES as readonly string[]).includes(p.name),
  );
}

/** Rows per stored chunk (a few megabytes of JSON for violation reports). */
export const SNAPSHOT_CHUNK_ROWS = 5_000;

/**
 * What a snapshot's rows were made by, per projection: its version, and each of its tables with
 * a signature of the table's columns. A snapshot is only restored for projections whose entry
 * equals the code's and the database's: a new version, table or column makes it unusable.
 */
export type ProjectionSpec = Record<string, { version: number; tables: Record<string, string> }>;

/** A step of the fold a snapshot's rows come from: the agreement's events after the previous
 * step's position up to this one, statuses computed at `at`, then due statuses recomputed at it. */
export interface SnapshotStep extends FeedPoint {
  at: string;
}

export interface SnapshotTable {
  chunks: number;
  rows: number;
  /** Identity sequences (`column` -> state), so rows projected later number on as they would. */
  identity: Record<string, { lastValue: string; isCalled: boolean }>;
}

export interface SnapshotHeader extends FeedPoint {
  snapshotId: number;
  agreementId: string;
  eventsCount: number;
  eventsDigest: Buffer;
  maxRecordedAt: Date;
  at: Date;
  projections: ProjectionSpec;
  tables: Record<string, SnapshotTable>;
  steps: SnapshotStep[];
  baseSnapshotId: number | null;
  rejectedAt: Date | null;
  rejectedReason: string | null;
  createdAt: Date;
}

interface HeaderRow {
  snapshot_id: string;
  agreement_id: string;
  transaction_id: string;
  global_position: string;
  events_count: number;
  events_digest: Buffer;
  max_recorded_at: Date;
  at: Date;
  projections: ProjectionSpec;
  tables: Record<string, SnapshotTable>;
  steps: SnapshotStep[];
  base_snapshot_id: string | null;
  rejected_at: Date | null;
  rejected_reason: string | null;
  created_at: Date;
}

export const HEADER_COLUMNS = `snapshot_id, agreement_id, transaction_id::text AS transaction_id,
  global_position::text AS global_position, events_count, events_digest, max_recorded_at, at,
  projections, tables, steps, base_snapshot_id, rejected_at, rejected_reason, created_at`;

export function toHeader(r: HeaderRow): SnapshotHeader {
  return {
    snapshotId: Number(r.snapshot_id),
    agreementId: r.agreement_id,
    transactionId: r.transaction_id,
    globalPosition: r.global_position,
    eventsCount: r.events_count,
    eventsDigest: r.events_digest,
    maxRecordedAt: r.max_recorded_at,
    at: r.at,
    projections: r.projections,
    tables: r.tables,
    steps: r.steps,
    baseSnapshotId: r.base_snapshot_id === null ? null : Number(r.base_snapshot_id),
    rejectedAt: r.rejected_at,
    rejectedReason: r.rejected_reason,
    createdAt: r.created_at,
  };
}

export async function listSnapshots(
  db: Pick<Pool, 'query'> | PoolClient,
  agreementId?: string,
): Promise<SnapshotHeader[]> {
  const { rows } = await db.query<HeaderRow>(
    `SELECT ${HEADER_COLUMNS} FROM replay_snapshots
      WHERE $1::text IS NULL OR agreement_id = $1
      ORDER BY agreement_id, transaction_id, global_position, snapshot_id`,
    [agreementId ?? null],
  );
  return rows.map(toHeader);
}

/** The projections' versions, tables and column signatures, as the code and database have them. */
export async function projectionSpec(
  db: Pick<Pool, 'query'> | PoolClient,
  projections: readonly Projection[],
  liveSchema: string,
): Promise<ProjectionSpec> {
  const tables = projections.flatMap((p) => p.tables);
  const { rows } = await db.query<{ table: string; signature: string }>(
    `SELECT c.relname AS table,
            md5(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                           || CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END,
                           ', ' ORDER BY a.attname)) AS signature
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relname = ANY ($2::text[])
      GROUP BY c.relname`,
    [liveSchema, tables],
  );
  const signatures = new Map(rows.map((r) => [r.table, r.signature]));
  const spec: ProjectionSpec = {};
  for (const p of projections) {
    spec[p.name] = {
      version: p.version,
      tables: Object.fromEntries(p.tables.map((t) => [t, signatures.get(t) ?? 'missing'])),
    };
  }
  return spec;
}

/**
 * The newest usable snapshot of the agreement (by feed position): not rejected, made by the
 * given projection spec, and (with `recordedBy`) covering only events recorded by then. Locked
 * FOR SHARE when asked, so retention cannot delete it and verify cannot reject it mid-replay.
 */
export async function findUsableSnapshot(
  db: Pick<Pool, 'query'> | PoolClient,
  agreementId: string,
  spec: ProjectionSpec,
  options: { recordedBy?: Date; lock?: boolean } = {},
): Promise<SnapshotHeader | null> {
  const { rows } = await db.query<HeaderRow>(
    `SELECT ${HEADER_COLUMNS} FROM replay_snapshots
      WHERE agreement_id = $1 AND rejected_at IS NULL
        AND ($2::timestamptz IS NULL OR max_recorded_at <= $2)
        AND projections @> $3::jsonb
      ORDER BY transaction_id DESC, global_position DESC
      LIMIT 1 ${options.lock ? 'FOR SHARE' : ''}`,
    [agreementId, options.recordedBy ?? null, JSON.stringify(spec)],
  );
  return rows[0] ? toHeader(rows[0]) : null;
}

/**
 * Restores the snapshot's rows of `tables` into the temporary copies of this connection (which
 * must be empty), and their identity sequences. Returns false when the stored rows are not the
 * ones the header counts (a chunk gone): the caller must then not use what was restored.
 */
export async function restoreSnapshotRows(
  client: PoolClient,
  snapshot: SnapshotHeader,
  tables: readonly string[],
): Promise<boolean> {
  for (const table of tables) {
    const stored = snapshot.tables[table];
    if (!stored) return false;
    const temp = `pg_temp.${ident(table)}`;
    let restored = 0;
    // Chunk by chunk, in order: the copy gets the rows in the order they were written.
    for (let chunk = 0; chunk < stored.chunks; chunk++) {
      const result = await client.query(
        `INSERT INTO ${temp} OVERRIDING SYSTEM VALUE
         SELECT r.* FROM replay_snapshot_rows c,
                jsonb_populate_recordset(NULL::${temp}, c.rows) AS r
          WHERE c.snapshot_id = $1 AND c.table_name = $2 AND c.chunk = $3`,
        [snapshot.snapshotId, table, chunk],
      );
      restored += result.rowCount ?? 0;
    }
    if (restored !== stored.rows) return false;
  }
  // Sequences last: setval is not undone by a rollback.
  for (const table of tables) {
    for (const [column, state] of Object.entries(snapshot.tables[table].identity)) {
      await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint, $4)', [
        `pg_temp.${ident(table)}`,
        column,
        state.lastValue,
        state.isCalled,
      ]);
    }
  }
  return true;
}

/** Writes the rows of the temporary copies of `tables` as the snapshot's chunks. */
export async function writeSnapshotRows(
  client: PoolClient,
  snapshotId: number,
  tables: readonly string[],
  chunkRows = SNAPSHOT_CHUNK_ROWS,
): Promise<Record<string, SnapshotTable>> {
  const written: Record<string, SnapshotTable> = {};
  for (const table of tables) {
    const temp = `pg_temp.${ident(table)}`;
    const { rows } = await client.query<{ chunks: string; rows: string }>(
      `WITH written AS (
         INSERT INTO replay_snapshot_rows (snapshot_id, table_name, chunk, rows)
         SELECT $1, $2, (n - 1) / $3, jsonb_agg(j ORDER BY n)
           FROM (SELECT to_jsonb(t) AS j, row_number() OVER (ORDER BY t.ctid) AS n
                   FROM ${temp} t) AS numbered
          GROUP BY (n - 1) / $3
         RETURNING jsonb_array_length(rows) AS n)
       SELECT count(*)::text AS chunks, coalesce(sum(n), 0)::text AS rows FROM written`,
      [snapshotId, table, chunkRows],
    );
    written[table] = {
      chunks: Number(rows[0].chunks),
      rows: Number(rows[0].rows),
      identity: await identityState(client, table),
    };
  }
  return written;
}

/** The state of the identity sequences of a temporary copy. */
export async function identityState(
  client: PoolClient,
  table: string,
): Promise<SnapshotTable['identity']> {
  const temp = `pg_temp.${ident(table)}`;
  const { rows: columns } = await client.query<{ column: string; sequence: string }>(
    `SELECT a.attname AS column, pg_get_serial_sequence($1, a.attname) AS sequence
       FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attidentity <> '' AND NOT a.attisdropped`,
    [temp],
  );
  const identity: SnapshotTable['identity'] = {};
  for (const { column, sequence } of columns) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM ${sequence}`,
    );
    identity[column] = { lastValue: rows[0].last_value, isCalled: rows[0].is_called };
  }
  return identity;
}

export interface CoveredEvents {
  count: number;
  digest: Buffer | null;
  maxRecordedAt: Date | null;
}

/**
 * The agreement's events up to a feed position: how many, sha256 over their stored hashes in
 * feed order, and the newest recorded time. What a snapshot's header must match.
 */
export async function coveredEvents(
  db: Pick<Pool, 'query'> | PoolClient,
  agreementId: string,
  upTo: FeedPoint,
): Promise<CoveredEvents> {
  const { rows } = await db.query<{
    count: string;
    digest: Buffer | null;
    max_recorded_at: Date | null;
  }>(
    `SELECT count(*)::text AS count,
            sha256(string_agg(hash, ''::bytea ORDER BY transaction_id, global_position)) AS digest,
            max(recorded_at) AS max_recorded_at
       FROM events
      WHERE stream_id IN (SELECT stream_id FROM events
                           WHERE data->>'agreementId' = $1 AND stream_version = 1)
        AND (transaction_id, global_position) <= ($2::xid8, $3::bigint)`,
    [agreementId, upTo.transactionId, upTo.globalPosition],
  );
  return {
    count: Number(rows[0].count),
    digest: rows[0].digest,
    maxRecordedAt: rows[0].max_recorded_at,
  };
}

/** Marks a snapshot rejected: replays and the snapshot job never use it again. */
export async function rejectSnapshot(
  db: Pick<Pool, 'query'> | PoolClient,
  snapshotId: number,
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE replay_snapshots SET rejected_at = now(), rejected_reason = $2
      WHERE snapshot_id = $1 AND rejected_at IS NULL`,
    [snapshotId, reason],
  );
}

/**
 * Creates an empty temporary copy of `live.table`: dropped at commit (a replay's), or kept for the
 * session (the snapshot job's and the verifier's, so that they can fold in short statements
 * without holding one transaction open: an open transaction holds the whole feed back). Without
 * `keys`, add them with addKeys once the rows are in (an index built after a bulk load is
 * cheaper than one kept up row by row).
 */
export async function createTemporaryCopy(
  client: PoolClient,
  liveSchema: string,
  table: string,
  options: { session: boolean; keys: boolean },
): Promise<void> {
  const source = `${ident(liveSchema)}.${ident(table)}`;
  await client.query(
    `CREATE TEMPORARY TABLE ${ident(table)} (LIKE ${source} INCLUDING ALL EXCLUDING INDEXES)` +
      (options.session ? '' : ' ON COMMIT DROP'),
  );
  if (options.keys) await addKeys(client, liveSchema, table);
}

/** Adds the live table's primary and unique keys to its temporary copy (ON CONFLICT needs them). */
export async function addKeys(
  client: PoolClient,
  liveSchema: string,
  table: string,
): Promise<void> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u') ORDER BY contype, conname`,
    [`${ident(liveSchema)}.${ident(table)}`],
  );
  if (rows.length === 0) return;
  await client.query(
    rows
      .map(
        (c) =>
          `ALTER TABLE pg_temp.${ident(table)} ADD CONSTRAINT ${ident(c.name)} ${c.definition}`,
      )
      .join(';\n'),
  );
}

/** Session copies of `tables` with their keys (see createTemporaryCopy); dropSessionCopies. */
export async function createSessionCopies(
  client: PoolClient,
  liveSchema: string,
  tables: readonly string[],
): Promise<void> {
  for (const table of tables) {
    await createTemporaryCopy(client, liveSchema, table, { session: true, keys: true });
  }
}

export async function dropSessionCopies(
  client: PoolClient,
  tables: readonly string[],
): Promise<void> {
  if (tables.length === 0) return;
  await client.query(`DROP TABLE IF EXISTS ${tables.map((t) => `pg_temp.${ident(t)}`).join(', ')}`);
}
