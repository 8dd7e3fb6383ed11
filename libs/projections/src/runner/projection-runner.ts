// Catch-up: in one transaction per batch, lock the projection's checkpoint row (skipping it when
// another worker holds it), read the next batch of the commit-safe feed through the same client,
// apply it, move the checkpoint, commit. A crash mid-batch rolls the whole batch back.
// A projection whose checkpoint was written by another version of it (a deploy changed its
// handlers) is left alone: its tables keep serving what the old version built until its rebuild
// swaps the new ones in and stamps the checkpoint with the new version.
import { EventStore, rowPosition } from '@app/event-store';
import type { Pool } from 'pg';
import { inTransaction } from '@app/shared/database/transaction';
import type { Projection } from '../projection';

export interface CatchUpOptions {
  /** Feed events read per transaction (1-10,000). */
  batchSize?: number;
  /** Stop after this many batches even if the feed is not drained (rebuilds report progress). */
  maxBatches?: number;
  /**
   * Checked between batches (a shutdown): once aborted, the batch in hand commits and catch-up
   * returns; the next one resumes from the checkpoint.
   */
  signal?: AbortSignal;
}

export interface ProjectionRunnerOptions {
  /** The clock statuses are computed with; injected so tests control time. */
  now?: () => Date;
}

interface CheckpointRow {
  name: string;
  version: number;
  transaction_id: string;
  global_position: string;
  state: 'live' | 'rebuilding';
}

export const DEFAULT_BATCH_SIZE = 1000;

export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: ProjectionRunnerOptions & { store?: EventStore } = {},
  ) {
    this.store = options.store ?? new EventStore(pool);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Creates the checkpoint rows that are missing (position zero, live, the version in code: a new
   * projection's tables start empty, so its current handlers build them).
   */
  async ensureCheckpoints(projections: readonly Projection[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO projection_checkpoints (name, version)
       SELECT * FROM unnest($1::text[], $2::integer[])
       ON CONFLICT (name) DO NOTHING`,
      [projections.map((p) => p.name), projections.map((p) => p.version)],
    );
  }

  /**
   * Applies the feed to the projection until it is drained (or `signal` aborts). Returns the
   * number of events applied (handled events; events of other types only move the checkpoint).
   * Returns 0 at once when another worker holds the projection, or when its checkpoint's version
   * is not the projection's: its tables were built by other handlers and await their rebuild
   * (ProjectionRebuilder), which the worker requests at start-up.
   */
  async catchUp(projection: Projection, options: CatchUpOptions = {}): Promise<number> {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, 10_000));
    const handled = new Set<string>(projection.handledEventTypes);
    let applied = 0;
    let batches = 0;
    await this.ensureCheckpoints([projection]);
    const client = await this.pool.connect();
    try {
      for (;;) {
        if (options.maxBatches !== undefined && batches >= options.maxBatches) break;
        if (options.signal?.aborted) break;
        batches += 1;
        const outcome = await inTransaction(client, async () => {
          const checkpoint = await client.query<CheckpointRow>(
            `SELECT name, version, transaction_id::text, global_position::text, state
               FROM projection_checkpoints WHERE name = $1 FOR UPDATE SKIP LOCKED`,
            [projection.name],
          );
          const row = checkpoint.rows[0];
          if (!row) return { skipped: true, read: 0, applied: 0 };
          // Applying new handlers to tables the old ones built would corrupt them (counts kept by
          // deltas above all): leave them as they are until the rebuild swaps.
          if (row.version !== projection.version) return { skipped: true, read: 0, applied: 0 };
          const rows = await this.store.readFeedRows(
            {
              transactionId: BigInt(row.transaction_id),
              globalPosition: BigInt(row.global_position),
            },
            batchSize,
            client,
          );
          if (rows.length === 0) return { skipped: false, read: 0, applied: 0 };
          const events = rows
            .filter((r) => handled.has(r.event_type))
            .map((r) => this.store.toStoredEvent(r));
          if (events.length > 0) await projection.apply(events, client, this.now());
          const last = rows[rows.length - 1];
          const position = rowPosition(last);
          await client.query(
            `UPDATE projection_checkpoints
                SET transaction_id = $2::xid8, global_position = $3, updated_at = now(),
                    last_applied_at = CASE WHEN $4 THEN now() ELSE last_applied_at END,
                    last_event_recorded_at = $5
              WHERE name = $1`,
            [
              projection.name,
              position.transactionId.toString(),
              position.globalPosition.toString(),
              events.length > 0,
              last.recorded_at,
            ],
          );
          return { skipped: false, read: rows.length, applied: events.length };
        });
        applied += outcome.applied;
        if (outcome.skipped || outcome.read < batchSize) break;
      }
    } finally {
      client.release();
    }
    return applied;
  }

  /** Catches every projection up, in parallel (each on its own connection and checkpoint). */
  async catchUpAll(
    projections: readonly Projection[],
    options: CatchUpOptions = {},
  ): Promise<Record<string, number>> {
    const counts = await Promise.all(projections.map((p) => this.catchUp(p, options)));
    return Object.fromEntries(projections.map((p, i) => [p.name, counts[i]]));
  }
}
