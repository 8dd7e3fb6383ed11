// The snapshot job: counts each agreement's new events from the commit-safe feed, and gives an
// agreement that has gained `every` events since its newest snapshot a new one, built from that
// snapshot plus the next `every` events (so the cost follows the agreement's state, not its
// history), then thins out old snapshots.
import { EventStore } from '@app/event-store';
import { withClient } from '@app/shared/database/transaction';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../../projection';
import { PROJECTIONS } from '../../projections';
import { schemaOf } from '../../rebuild/table-copies';
import { foldSince, pointOf, readAgreementEvents } from '../agreement-events';
import {
  coveredEvents,
  createSessionCopies,
  dropSessionCopies,
  findUsableSnapshot,
  projectionSpec,
  ProjectionSpec,
  rejectSnapshot,
  restoreSnapshotRows,
  SNAPSHOT_CHUNK_ROWS,
  snapshotProjections,
  SnapshotHeader,
  SnapshotStep,
  writeSnapshotRows,
} from './replay-snapshots';

/** Job scheduler id and job name of the snapshot job on the `snapshots` queue. */
export const REPLAY_SNAPSHOT_JOB = 'replay-snapshots';

/** Session advisory lock: one snapshot job at a time across worker replicas. */
const SNAPSHOT_LOCK_KEY = 7_310_250_031;
/** Feed events counted per transaction. */
const COUNT_PAGE = 50_000;

export interface ReplaySnapshotterOptions {
  /** A new snapshot every this many of an agreement's events (SNAPSHOT_EVERY). */
  every: number;
  /** Every projection (the snapshot covers those as-of reads need). */
  projections?: readonly Projection[];
  /** Snapshots written per run at most (the rest wait for the next run). */
  maxPerRun?: number;
  chunkRows?: number;
  store?: EventStore;
}

export interface SnapshotRunResult {
  /** False when another worker's run held the lock. */
  ran: boolean;
  eventsCounted: number;
  created: number;
  deleted: number;
}

export class ReplaySnapshotter {
  private readonly covered: Projection[];
  private readonly store: EventStore;
  private readonly maxPerRun: number;
  private readonly chunkRows: number;

  constructor(
    private readonly pool: Pool,
    private readonly options: ReplaySnapshotterOptions,
  ) {
    if (!Number.isInteger(options.every) || options.every < 1) {
      throw new Error('ReplaySnapshotter: every must be a positive integer');
    }
    this.covered = snapshotProjections(options.projections ?? PROJECTIONS);
    this.store = options.store ?? new EventStore(pool);
    this.maxPerRun = options.maxPerRun ?? 20;
    this.chunkRows = options.chunkRows ?? SNAPSHOT_CHUNK_ROWS;
  }

  /**
   * One run of the job: count new events, snapshot the agreements that are due, thin out. An
   * aborted signal stops it between two snapshots (what is written stays; the next run goes on).
   */
  async run(options: { signal?: AbortSignal } = {}): Promise<SnapshotRunResult> {
    const result: SnapshotRunResult = { ran: false, eventsCounted: 0, created: 0, deleted: 0 };
    // A connection that failed mid-way may still hold temporary tables: withClient drops it.
    return withClient(this.pool, async (client) => {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [SNAPSHOT_LOCK_KEY],
      );
      if (!rows[0].locked) return result;
      result.ran = true;
      try {
        result.eventsCounted = await this.countNewEvents(client);
        const live = await schemaOf(client, 'projection_checkpoints');
        const spec = await projectionSpec(client, this.covered, live);
        for (const agreementId of await this.dueAgreements(client, spec)) {
          while (result.created < this.maxPerRun && !options.signal?.aborted) {
            const made = await this.snapshotNext(client, agreementId, spec, live);
            if (!made) break;
            result.created += 1;
          }
          result.deleted += await this.thinOut(client, agreementId, spec);
          if (result.created >= this.maxPerRun || options.signal?.aborted) break;
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SNAPSHOT_LOCK_KEY]);
      }
      return result;
    });
  }

  /**
   * Counts the commit-safe feed's events after the job's checkpoint per agreement, and moves the
   * checkpoint, a page per transaction. Returns the events counted.
   */
  async countNewEvents(client: PoolClient): Promise<number> {
    let total = 0;
    for (;;) {
      await client.query('BEGIN');
      try {
        const { rows: checkpoint } = await client.query<{ tx: string; pos: string }>(
          `SELECT transaction_id::text AS tx, global_position::text AS pos
             FROM replay_snapshot_feed FOR UPDATE`,
        );
        const { rows } = await client.query<{ events: string }>(
          `WITH page AS MATERIALIZED (
             SELECT transaction_id, global_position, data->>'agreementId' AS agreement_id
               FROM events
              WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
                AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
              ORDER BY transaction_id, global_position
              LIMIT $3),
           counted AS (
             INSERT INTO replay_snapshot_counts AS c (agreement_id, events_counted)
             SELECT agreement_id, count(*) FROM page WHERE agreement_id IS NOT NULL
              GROUP BY agreement_id
             ON CONFLICT (agreement_id)
             DO UPDATE SET events_counted = c.events_counted + EXCLUDED.events_counted),
           last AS (
             SELECT transaction_id, global_position FROM page
              ORDER BY transaction_id DESC, global_position DESC LIMIT 1),
           moved AS (
             UPDATE replay_snapshot_feed f
                SET transaction_id = l.transaction_id, global_position = l.global_position,
                    updated_at = now()
               FROM last l)
           SELECT count(*)::text AS events FROM page`,
          [checkpoint[0].tx, checkpoint[0].pos, COUNT_PAGE],
        );
        await client.query('COMMIT');
        const events = Number(rows[0].events);
        total += events;
        if (events < COUNT_PAGE) return total;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  }

  /** Agreements with at least `every` counted events beyond their newest usable snapshot. */
  private async dueAgreements(client: PoolClient, spec: ProjectionSpec): Promise<string[]> {
    const { rows } = await client.query<{ agreement_id: string }>(
      `SELECT c.agreement_id
         FROM replay_snapshot_counts c
         LEFT JOIN LATERAL (
           SELECT s.events_count FROM replay_snapshots s
            WHERE s.agreement_id = c.agreement_id AND s.rejected_at IS NULL
              AND s.projections @> $2::jsonb
            ORDER BY s.transaction_id DESC, s.global_position DESC LIMIT 1) s ON true
        WHERE c.events_counted - coalesce(s.events_count, 0) >= $1
        ORDER BY c.events_counted - coalesce(s.events_count, 0) DESC, c.agreement_id`,
      [this.options.every, JSON.stringify(spec)],
    );
    return rows.map((r) => r.agreement_id);
  }

  /**
   * Writes the agreement's next snapshot: its newest usable snapshot restored (none: from
   * nothing), the next `every` commit-safe events folded at the time the newest was recorded,
   * statuses that fell due by then recomputed. Null when fewer than `every` events are new.
   * The fold runs in short statements on session tables; only the write is one transaction.
   */
  async snapshotNext(
    client: PoolClient,
    agreementId: string,
    spec?: ProjectionSpec,
    liveSchema?: string,
  ): Promise<SnapshotHeader | null> {
    const live = liveSchema ?? (await schemaOf(client, 'projection_checkpoints'));
    const currentSpec = spec ?? (await projectionSpec(client, this.covered, live));
    const base = await findUsableSnapshot(client, agreementId, currentSpec);
    const events = await readAgreementEvents(client, this.store, agreementId, {
      after: base,
      eventsBefore: base?.eventsCount,
      commitSafe: true,
      limit: this.options.every,
    });
    if (events.length < this.options.every) return null;

    const tables = this.covered.flatMap((p) => p.tables);
    await createSessionCopies(client, live, tables);
    try {
      if (base && !(await restoreSnapshotRows(client, base, tables))) {
        await rejectSnapshot(client, base.snapshotId, 'its stored rows are not the ones it counts');
        return null;
      }
      const newest = Math.max(...events.map((e) => e.recordedAt.getTime()));
      const at = new Date(Math.max(newest, base?.maxRecordedAt.getTime() ?? 0));
      await foldSince(client, this.covered, events, at);
      const last = pointOf(events[events.length - 1]);
      const step: SnapshotStep = { ...last, at: at.toISOString() };
      return await this.write(client, {
        agreementId,
        base,
        position: last,
        expectedCount: (base?.eventsCount ?? 0) + events.length,
        at,
        spec: currentSpec,
        steps: [...(base?.steps ?? []), step],
        tables,
      });
    } finally {
      await dropSessionCopies(client, tables);
    }
  }

  private async write(
    client: PoolClient,
    s: {
      agreementId: string;
      base: SnapshotHeader | null;
      position: { transactionId: string; globalPosition: string };
      expectedCount: number;
      at: Date;
      spec: ProjectionSpec;
      steps: SnapshotStep[];
      tables: string[];
    },
  ): Promise<SnapshotHeader | null> {
    await client.query('BEGIN');
    try {
      if (s.base) {
        // Still there and not rejected meanwhile (verify may have found it bad).
        const { rows } = await client.query(
          `SELECT 1 FROM replay_snapshots WHERE snapshot_id = $1 AND rejected_at IS NULL FOR SHARE`,
          [s.base.snapshotId],
        );
        if (rows.length === 0) {
          await client.query('ROLLBACK');
          return null;
        }
      }
      const covered = await coveredEvents(client, s.agreementId, s.position);
      if (
        covered.count !== s.expectedCount ||
        covered.digest === null ||
        covered.maxRecordedAt?.getTime() !== s.at.getTime()
      ) {
        // Events the base covers have changed since it was written: never build on it again.
        await client.query('ROLLBACK');
        if (s.base) {
          await rejectSnapshot(
            client,
            s.base.snapshotId,
            `the events it covers changed: ${covered.count} events where ${s.expectedCount} were expected`,
          );
        }
        return null;
      }
      const { rows } = await client.query<{ snapshot_id: string; created_at: Date }>(
        `INSERT INTO replay_snapshots (agreement_id, transaction_id, global_position, events_count,
            events_digest, max_recorded_at, at, projections, tables, steps, base_snapshot_id)
         VALUES ($1, $2::xid8, $3, $4, $5, $6, $6, $7, '{}'::jsonb, $8, $9)
         RETURNING snapshot_id, created_at`,
        [
          s.agreementId,
          s.position.transactionId,
          s.position.globalPosition,
          covered.count,
          covered.digest,
          s.at,
          JSON.stringify(s.spec),
          JSON.stringify(s.steps),
          s.base?.snapshotId ?? null,
        ],
      );
      const snapshotId = Number(rows[0].snapshot_id);
      const tables = await writeSnapshotRows(client, snapshotId, s.tables, this.chunkRows);
      await client.query('UPDATE replay_snapshots SET tables = $2 WHERE snapshot_id = $1', [
        snapshotId,
        JSON.stringify(tables),
      ]);
      await client.query('COMMIT');
      return {
        snapshotId,
        agreementId: s.agreementId,
        ...s.position,
        eventsCount: covered.count,
        eventsDigest: covered.digest,
        maxRecordedAt: s.at,
        at: s.at,
        projections: s.spec,
        tables,
        steps: s.steps,
        baseSnapshotId: s.base?.snapshotId ?? null,
        rejectedAt: null,
        rejectedReason: null,
        createdAt: rows[0].created_at,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Retention: the newest usable snapshot stays, and older ones stay as long as they are at least
   * max(every, a quarter of their age in events) apart, so an as-of far back folds at most about
   * a quarter of the history since then while storage grows with log(history). Snapshots of
   * other projection versions are useless and go; rejected ones stay as evidence.
   */
  private async thinOut(
    client: PoolClient,
    agreementId: string,
    spec: ProjectionSpec,
  ): Promise<number> {
    const { rows } = await client.query<{
      snapshot_id: string;
      events_count: number;
      usable: boolean;
    }>(
      `SELECT snapshot_id, events_count, projections @> $2::jsonb AS usable
         FROM replay_snapshots WHERE agreement_id = $1 AND rejected_at IS NULL
        ORDER BY transaction_id DESC, global_position DESC`,
      [agreementId, JSON.stringify(spec)],
    );
    const usable = rows.filter((r) => r.usable);
    const keep = new Set(
      snapshotsToKeep(
        usable.map((r) => r.events_count),
        this.options.every,
      ),
    );
    const doomed = [...rows.filter((r) => !r.usable), ...usable.filter((_, i) => !keep.has(i))].map(
      (r) => r.snapshot_id,
    );
    if (doomed.length === 0) return 0;
    const { rowCount } = await client.query(
      'DELETE FROM replay_snapshots WHERE snapshot_id = ANY ($1::bigint[])',
      [doomed],
    );
    return rowCount ?? 0;
  }
}

/**
 * Which snapshots to keep, given their event counts newest first: the newest, then each older one
 * at least max(every, age / 4) events before the last one kept (age: events since it). Returns
 * the indexes kept.
 */
export function snapshotsToKeep(countsNewestFirst: readonly number[], every: number): number[] {
  if (countsNewestFirst.length === 0) return [];
  const newest = countsNewestFirst[0];
  const kept = [0];
  let lastKept = newest;
  for (let i = 1; i < countsNewestFirst.length; i++) {
    const count = countsNewestFirst[i];
    if (lastKept - count >= Math.max(every, (newest - count) / 4)) {
      kept.push(i);
      lastKept = count;
    }
  }
  return kept;
}
