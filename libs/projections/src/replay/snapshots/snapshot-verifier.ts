// Verifying replay snapshots, which are trusted only because they can be checked:
// - against the events they summarise (every `verify`): the agreement's events up to the
//   snapshot's position must still be `events_count` events hashing to `events_digest`, and
//   none of them may be an event the ledger's own verification found bad;
// - against a fold from nothing (`verify --snapshots`): the snapshot's steps folded again,
//   without any snapshot, must give exactly its rows.
// A snapshot found bad is marked rejected: replays and the snapshot job never use it again.
import { EventStore } from '@app/event-store';
import type { IntegrityProblem } from '@app/event-store';
import { withClient } from '@app/shared/database/transaction';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../../projection';
import { PROJECTIONS } from '../../projections';
import { ident, schemaOf } from '../../rebuild/table-copies';
import { compareFeedPoints, FeedPoint, foldSince, readAgreementEvents } from '../agreement-events';
import {
  coveredEvents,
  createSessionCopies,
  dropSessionCopies,
  identityState,
  listSnapshots,
  projectionSpec,
  ProjectionSpec,
  rejectSnapshot,
  snapshotProjections,
  SnapshotHeader,
  SnapshotStep,
} from './replay-snapshots';

export interface SnapshotProblem {
  kind: 'snapshot_mismatch';
  snapshotId: number;
  agreementId: string;
  /** The global position of the last event the snapshot covers. */
  position: number;
  detail: string;
}

export interface SnapshotCheck {
  snapshotsChecked: number;
  problems: SnapshotProblem[];
}

export interface SnapshotRefoldCheck extends SnapshotCheck {
  /** Made by other projection versions (never used; the snapshot job deletes them). */
  snapshotsSkipped: number;
  eventsFolded: number;
}

const problemOf = (s: SnapshotHeader, detail: string): SnapshotProblem => ({
  kind: 'snapshot_mismatch',
  snapshotId: s.snapshotId,
  agreementId: s.agreementId,
  position: Number(s.globalPosition),
  detail: `replay snapshot ${s.snapshotId} of agreement ${s.agreementId}: ${detail}`,
});

/**
 * Checks every snapshot against the events it covers (count, digest, newest recorded time), and
 * that it covers none of the events in `ledgerProblems` (the event store's verification).
 * Rejects the bad ones. Reads each snapshot's covered events' hashes: about as costly as reading
 * the agreement's events once per snapshot kept.
 */
export async function verifySnapshotEvents(
  pool: Pool,
  options: { ledgerProblems?: readonly IntegrityProblem[]; reject?: boolean } = {},
): Promise<SnapshotCheck> {
  const snapshots = await listSnapshots(pool);
  const badEvents = await locateBadEvents(pool, options.ledgerProblems ?? []);
  const problems: SnapshotProblem[] = [];
  for (const s of snapshots) {
    const found: string[] = [];
    const covered = await coveredEvents(pool, s.agreementId, s);
    if (covered.count < s.eventsCount) {
      found.push(
        `it covers ${s.eventsCount} events and ${s.eventsCount - covered.count} of them are gone`,
      );
    } else if (
      covered.count > s.eventsCount ||
      covered.digest === null ||
      !covered.digest.equals(s.eventsDigest)
    ) {
      found.push('the events it covers no longer hash to its digest');
    } else if (covered.maxRecordedAt?.getTime() !== s.maxRecordedAt.getTime()) {
      found.push('the events it covers were not recorded when it says');
    }
    const lastStep = s.steps[s.steps.length - 1];
    if (
      !lastStep ||
      compareFeedPoints(lastStep, s) !== 0 ||
      Date.parse(lastStep.at) !== s.at.getTime() ||
      s.at.getTime() !== s.maxRecordedAt.getTime()
    ) {
      found.push('its steps do not end at its position and time');
    }
    for (const bad of badEvents) {
      if (bad.agreementId === s.agreementId && compareFeedPoints(bad, s) <= 0) {
        found.push(
          `it covers the event at position ${bad.globalPosition}, which fails verification`,
        );
      }
    }
    if (found.length === 0) continue;
    const problem = problemOf(s, found.join('; '));
    problems.push(problem);
    if (options.reject !== false) await rejectSnapshot(pool, s.snapshotId, problem.detail);
  }
  return { snapshotsChecked: snapshots.length, problems };
}

/** The feed positions and agreements of the events the ledger's verification found bad. */
async function locateBadEvents(
  pool: Pool,
  ledgerProblems: readonly IntegrityProblem[],
): Promise<Array<FeedPoint & { agreementId: string }>> {
  const positions = ledgerProblems
    .filter((p) => p.streamId !== undefined && p.position !== undefined)
    .map((p) => String(p.position));
  if (positions.length === 0) return [];
  const { rows } = await pool.query<{
    transaction_id: string;
    global_position: string;
    agreement_id: string | null;
  }>(
    `SELECT e.transaction_id::text, e.global_position::text,
            coalesce((SELECT f.data->>'agreementId' FROM events f
                       WHERE f.stream_id = e.stream_id AND f.stream_version = 1),
                     e.data->>'agreementId') AS agreement_id
       FROM events e WHERE e.global_position = ANY ($1::bigint[])`,
    [positions],
  );
  return rows
    .filter((r) => r.agreement_id !== null)
    .map((r) => ({
      transactionId: r.transaction_id,
      globalPosition: r.global_position,
      agreementId: r.agreement_id as string,
    }));
}

/**
 * Folds every snapshot's steps again from nothing (no snapshot), with the same handlers, and
 * compares the rows with the stored ones, row for row and column for column. An agreement's
 * snapshots built one on another share their steps, so each agreement's events are folded once.
 * Rejects the bad ones.
 */
export async function verifySnapshotRows(
  pool: Pool,
  options: { projections?: readonly Projection[]; reject?: boolean; agreementId?: string } = {},
): Promise<SnapshotRefoldCheck> {
  const covered = snapshotProjections(options.projections ?? PROJECTIONS);
  const tables = covered.flatMap((p) => p.tables);
  const store = new EventStore(pool);
  const result: SnapshotRefoldCheck = {
    snapshotsChecked: 0,
    snapshotsSkipped: 0,
    eventsFolded: 0,
    problems: [],
  };
  return withClient(pool, async (client) => {
    const live = await schemaOf(client, 'projection_checkpoints');
    const spec = await projectionSpec(client, covered, live);
    const byAgreement = new Map<string, SnapshotHeader[]>();
    for (const s of await listSnapshots(client, options.agreementId)) {
      if (!sameSpec(s.projections, spec)) {
        result.snapshotsSkipped += 1;
        continue;
      }
      byAgreement.set(s.agreementId, [...(byAgreement.get(s.agreementId) ?? []), s]);
    }
    for (const [agreementId, snapshots] of byAgreement) {
      let applied: SnapshotStep[] = [];
      let created = false;
      try {
        for (const s of snapshots) {
          if (!isPrefix(applied, s.steps)) {
            if (created) await dropSessionCopies(client, tables);
            created = false;
            applied = [];
          }
          if (!created) {
            await createSessionCopies(client, live, tables);
            created = true;
          }
          for (const step of s.steps.slice(applied.length)) {
            const previous = applied[applied.length - 1] ?? null;
            const events = await readAgreementEvents(client, store, agreementId, {
              after: previous,
              upTo: step,
            });
            const at = new Date(step.at);
            await foldSince(client, covered, events, at);
            result.eventsFolded += events.length;
            applied = [...applied, step];
          }
          result.snapshotsChecked += 1;
          const differences = await compareWithStored(client, s, tables);
          if (differences.length > 0) {
            const problem = problemOf(s, differences.join('; '));
            result.problems.push(problem);
            if (options.reject !== false)
              await rejectSnapshot(client, s.snapshotId, problem.detail);
          }
        }
      } finally {
        if (created) await dropSessionCopies(client, tables);
      }
    }
    return result;
  });
}

function sameSpec(stored: ProjectionSpec, current: ProjectionSpec): boolean {
  return Object.entries(current).every(
    ([name, p]) =>
      stored[name]?.version === p.version &&
      Object.entries(p.tables).every(([table, sig]) => stored[name]?.tables[table] === sig),
  );
}

function isPrefix(applied: readonly SnapshotStep[], steps: readonly SnapshotStep[]): boolean {
  return (
    applied.length <= steps.length &&
    applied.every(
      (a, i) =>
        compareFeedPoints(a, steps[i]) === 0 && Date.parse(a.at) === Date.parse(steps[i].at),
    )
  );
}

/** What differs between the re-folded tables and the snapshot's stored rows, per table. */
async function compareWithStored(
  client: PoolClient,
  snapshot: SnapshotHeader,
  tables: readonly string[],
): Promise<string[]> {
  const differences: string[] = [];
  for (const table of tables) {
    const stored = snapshot.tables[table];
    if (!stored) {
      differences.push(`it has no rows for ${table}`);
      continue;
    }
    const { rows } = await client.query<{
      altered: string;
      missing: string;
      examples: Array<Record<string, unknown>> | null;
      chunks: string;
    }>(
      `WITH stored AS (
         SELECT e AS j FROM replay_snapshot_rows c, jsonb_array_elements(c.rows) AS e
          WHERE c.snapshot_id = $1 AND c.table_name = $2),
       folded AS (SELECT to_jsonb(t) AS j FROM pg_temp.${ident(table)} t),
       only_stored AS (SELECT j FROM stored EXCEPT ALL SELECT j FROM folded),
       only_folded AS (SELECT j FROM folded EXCEPT ALL SELECT j FROM stored)
       SELECT (SELECT count(*) FROM only_stored)::text AS altered,
              (SELECT count(*) FROM only_folded)::text AS missing,
              (SELECT jsonb_agg(j) FROM (SELECT j FROM only_stored LIMIT 3) x) AS examples,
              (SELECT count(*) FROM replay_snapshot_rows
                WHERE snapshot_id = $1 AND table_name = $2)::text AS chunks`,
      [snapshot.snapshotId, table],
    );
    const altered = Number(rows[0].altered);
    const missing = Number(rows[0].missing);
    if (altered > 0 || missing > 0) {
      const keys = await keyColumns(client, table);
      const examples = (rows[0].examples ?? [])
        .map((row) => keys.map((k) => `${k}=${String(row[k])}`).join(','))
        .join('; ');
      differences.push(
        `${table}: ${altered} stored rows differ from the events' fold` +
          (missing > 0 ? ` and ${missing} rows of the fold are not stored` : '') +
          (examples ? ` (${examples})` : ''),
      );
    }
    if (Number(rows[0].chunks) !== stored.chunks) {
      differences.push(
        `${table}: ${rows[0].chunks} chunks stored where it counts ${stored.chunks}`,
      );
    }
    const identity = await identityState(client, table);
    const sameIdentity =
      Object.keys(identity).length === Object.keys(stored.identity).length &&
      Object.entries(identity).every(
        ([column, state]) =>
          stored.identity[column]?.lastValue === state.lastValue &&
          stored.identity[column]?.isCalled === state.isCalled,
      );
    if (!sameIdentity) {
      differences.push(`${table}: its identity sequences are not where the fold leaves them`);
    }
  }
  return differences;
}

/** The primary key columns of a temporary copy, to name a row. */
async function keyColumns(client: PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [`pg_temp.${ident(table)}`],
  );
  return rows.map((r) => r.column);
}
