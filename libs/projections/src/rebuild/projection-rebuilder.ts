// Rebuild without downtime. The projection is built from the start of the feed into copies of its
// tables in a shadow schema, in large batches, by the same handlers (an unqualified table name
// resolves to the shadow copy through search_path). The live tables keep serving reads and keep
// catching up meanwhile. At the head, one transaction holds the live checkpoint, drains the last
// events into the shadow, replaces the live tables by the shadow ones and moves the checkpoint.
// Each batch commits with the shadow checkpoint (projection_rebuilds), so a rebuild whose worker
// died resumes where it stopped.
import { EventStore, rowPosition } from '@app/event-store';
import type { FeedPosition } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@app/shared/database/transaction';
import type { Projection } from '../projection';
import { addReadIndexes, createTableCopy, ident, schemaOf } from './table-copies';

export interface RebuildProgress {
  name: string;
  phase: 'building' | 'swapped';
  /** global_position of the last feed event the shadow has passed. */
  position: number;
  /**
   * Events of the types the projection handles read into the shadow so far (including those read
   * before a resume). Other events are never read: the feed query skips them.
   */
  eventsRead: number;
  /** Committed events of those types in the feed when the rebuild (or its resume) started. */
  eventsTotal: number;
  /** eventsRead / eventsTotal, 0-100 (100 once swapped). */
  percent: number;
}

export interface RebuildOptions {
  /** Feed events per shadow transaction. */
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => Promise<void> | void;
  /** Stop (without swapping) after this many batches: lets tests interrupt a rebuild. */
  maxBatches?: number;
  /**
   * Aborted on shutdown: the batch in hand commits, then RebuildInterrupted is thrown and the
   * shadow checkpoint is where the next attempt resumes.
   */
  signal?: AbortSignal;
}

/** Another process holds this projection's rebuild (a duplicate job): nothing was done. */
export class RebuildInProgress extends Error {
  constructor(readonly projection: string) {
    super(`projection ${projection} is already being rebuilt by another process`);
  }
}

/** The rebuild stopped between two batches because its process is shutting down. */
export class RebuildInterrupted extends Error {
  constructor(readonly projection: string) {
    super(`the rebuild of ${projection} was interrupted by a shutdown; it resumes on retry`);
  }
}

export const REBUILD_BATCH_SIZE = 10_000;
/** How long the swap may wait for readers to let go of the live tables before retrying. */
const SWAP_LOCK_TIMEOUT = '5s';

interface ShadowCheckpoint {
  position: FeedPosition;
  eventsRead: number;
}

export class ProjectionRebuilder {
  private readonly store: EventStore;
  private readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: { store?: EventStore; now?: () => Date } = {},
  ) {
    this.store = options.store ?? new EventStore(pool);
    this.now = options.now ?? (() => new Date());
  }

  /** The shadow schema of a projection: `rebuild_<name>`. */
  static shadowSchema(projection: Pick<Projection, 'name'>): string {
    return `rebuild_${projection.name.replace(/[^a-z0-9]/g, '_')}`;
  }

  /**
   * Rebuilds the projection, resuming a rebuild of the same version left half-done. Returns the
   * final progress (phase `swapped`), or the progress so far when `maxBatches` stopped it.
   */
  async rebuild(projection: Projection, options: RebuildOptions = {}): Promise<RebuildProgress> {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? REBUILD_BATCH_SIZE, 10_000));
    const client = await this.pool.connect();
    const lockKey = `projection-rebuild:${projection.name}`;
    try {
      // A session lock: it dies with the connection, so a killed worker never blocks the retry.
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [lockKey],
      );
      if (!rows[0].locked) throw new RebuildInProgress(projection.name);
      try {
        return await this.run(client, projection, batchSize, options);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      client.release();
    }
  }

  private async run(
    client: PoolClient,
    projection: Projection,
    batchSize: number,
    options: RebuildOptions,
  ): Promise<RebuildProgress> {
    const live = await schemaOf(client, 'projection_checkpoints');
    const shadow = ProjectionRebuilder.shadowSchema(projection);
    const total = await this.committedEvents(client, projection);
    let checkpoint = await this.prepare(client, projection, live, shadow);
    const progress = (phase: RebuildProgress['phase']): RebuildProgress => ({
      name: projection.name,
      phase,
      position: Number(checkpoint.position.globalPosition),
      eventsRead: checkpoint.eventsRead,
      eventsTotal: total,
      percent:
        phase === 'swapped'
          ? 100
          : Math.min(99, Math.floor((100 * checkpoint.eventsRead) / Math.max(1, total))),
    });
    let batches = 0;
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) {
        return progress('building');
      }
      if (options.signal?.aborted) throw new RebuildInterrupted(projection.name);
      batches += 1;
      const { read, next } = await inTransaction(client, async () => {
        const current = await this.lockShadowCheckpoint(client, projection);
        await this.useShadow(client, shadow, live);
        return this.applyBatch(client, projection, current, batchSize);
      });
      checkpoint = next;
      await options.onProgress?.(progress('building'));
      if (read < batchSize) break;
    }
    if (options.signal?.aborted) throw new RebuildInterrupted(projection.name);
    // The read indexes, built once over the whole table rather than maintained row by row.
    for (const table of projection.tables) await addReadIndexes(client, live, table, shadow);
    checkpoint = await this.swap(client, projection, live, shadow, batchSize);
    const done = progress('swapped');
    await options.onProgress?.(done);
    return done;
  }

  /**
   * Creates the shadow tables (keys only: read indexes come at the end), or finds the ones a
   * rebuild of this version left behind.
   */
  private prepare(
    client: PoolClient,
    projection: Projection,
    live: string,
    shadow: string,
  ): Promise<ShadowCheckpoint> {
    return inTransaction(client, async () => {
      const { rows } = await client.query<{ version: number; schema_exists: boolean }>(
        `SELECT version, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = shadow_schema) AS schema_exists
           FROM projection_rebuilds WHERE name = $1 FOR UPDATE`,
        [projection.name],
      );
      const resumable = rows[0]?.version === projection.version && rows[0].schema_exists;
      if (!resumable) {
        await client.query(`DROP SCHEMA IF EXISTS ${ident(shadow)} CASCADE`);
        await client.query(`CREATE SCHEMA ${ident(shadow)}`);
        for (const table of projection.tables) {
          await createTableCopy(client, live, table, shadow);
        }
        await client.query(
          `INSERT INTO projection_rebuilds (name, version, shadow_schema) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET version = $2, shadow_schema = $3,
             transaction_id = '0'::xid8, global_position = 0, events_read = 0,
             started_at = now(), updated_at = now()`,
          [projection.name, projection.version, shadow],
        );
      }
      await client.query(
        `UPDATE projection_checkpoints SET state = 'rebuilding', updated_at = now() WHERE name = $1`,
        [projection.name],
      );
      return this.lockShadowCheckpoint(client, projection);
    });
  }

  private async lockShadowCheckpoint(
    client: PoolClient,
    projection: Projection,
  ): Promise<ShadowCheckpoint> {
    const { rows } = await client.query<{
      transaction_id: string;
      global_position: string;
      events_read: string;
    }>(
      `SELECT transaction_id::text, global_position::text, events_read::text
         FROM projection_rebuilds WHERE name = $1 FOR UPDATE`,
      [projection.name],
    );
    if (!rows[0]) throw new Error(`the rebuild of ${projection.name} has no shadow checkpoint`);
    return {
      position: {
        transactionId: BigInt(rows[0].transaction_id),
        globalPosition: BigInt(rows[0].global_position),
      },
      eventsRead: Number(rows[0].events_read),
    };
  }

  /** Unqualified names now resolve to the shadow tables first (for this transaction only). */
  private async useShadow(client: PoolClient, shadow: string, live: string): Promise<void> {
    await client.query(`SET LOCAL search_path TO ${ident(shadow)}, ${ident(live)}`);
  }

  /** One batch of the feed into the shadow tables; moves the shadow checkpoint. */
  private async applyBatch(
    client: PoolClient,
    projection: Projection,
    from: ShadowCheckpoint,
    batchSize: number,
  ): Promise<{ read: number; next: ShadowCheckpoint }> {
    // Only the types the projection handles: the feed query skips the rest in PostgreSQL.
    const rows = await this.store.readFeedRows(
      from.position,
      batchSize,
      client,
      projection.handledEventTypes,
    );
    if (rows.length === 0) return { read: 0, next: from };
    const events = rows.map((r) => this.store.toStoredEvent(r));
    await projection.apply(events, client, this.now());
    const next = {
      position: rowPosition(rows[rows.length - 1]),
      eventsRead: from.eventsRead + rows.length,
    };
    await client.query(
      `UPDATE projection_rebuilds
          SET transaction_id = $2::xid8, global_position = $3, events_read = $4, updated_at = now()
        WHERE name = $1`,
      [
        projection.name,
        next.position.transactionId.toString(),
        next.position.globalPosition.toString(),
        next.eventsRead,
      ],
    );
    return { read: rows.length, next };
  }

  /**
   * Holding the live checkpoint (live catch-up of this projection pauses), drains the feed into
   * the shadow, replaces the live tables by the shadow ones (keeping the live index names) and
   * moves the live checkpoint to where the shadow stands. Readers block only for this commit.
   */
  private async swap(
    client: PoolClient,
    projection: Projection,
    live: string,
    shadow: string,
    batchSize: number,
  ): Promise<ShadowCheckpoint> {
    for (;;) {
      try {
        return await inTransaction(client, async () => {
          await client.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
          await client.query('SELECT 1 FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [
            projection.name,
          ]);
          let checkpoint = await this.lockShadowCheckpoint(client, projection);
          await this.useShadow(client, shadow, live);
          for (;;) {
            const { read, next } = await this.applyBatch(client, projection, checkpoint, batchSize);
            checkpoint = next;
            if (read < batchSize) break;
          }
          for (const table of projection.tables) {
            await this.replaceTable(client, table, live, shadow);
          }
          const { transactionId, globalPosition } = checkpoint.position;
          await client.query(
            `UPDATE ${ident(live)}.projection_checkpoints
                SET transaction_id = $2::xid8, global_position = $3, version = $4, state = 'live',
                    updated_at = now(), last_applied_at = now(),
                    last_event_recorded_at = (SELECT recorded_at FROM ${ident(live)}.events
                                               WHERE global_position = $3)
              WHERE name = $1`,
            [
              projection.name,
              transactionId.toString(),
              globalPosition.toString(),
              projection.version,
            ],
          );
          await client.query(`DELETE FROM ${ident(live)}.projection_rebuilds WHERE name = $1`, [
            projection.name,
          ]);
          await client.query(`DROP SCHEMA ${ident(shadow)} CASCADE`);
          return checkpoint;
        });
      } catch (err) {
        // lock_not_available: a long read held a live table; the shadow is intact, try again.
        if ((err as { code?: string }).code !== '55P03') throw err;
      }
    }
  }

  /**
   * Drops the live table and moves the shadow one in. The shadow's constraints and indexes carry
   * the live names already (names are per schema), so the table comes back as migrations made it.
   */
  private async replaceTable(
    client: PoolClient,
    table: string,
    live: string,
    shadow: string,
  ): Promise<void> {
    await client.query(`DROP TABLE ${ident(live)}.${ident(table)}`);
    await client.query(`ALTER TABLE ${ident(shadow)}.${ident(table)} SET SCHEMA ${ident(live)}`);
  }

  private async committedEvents(client: PoolClient, projection: Projection): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM events WHERE event_type = ANY ($1::text[])',
      [projection.handledEventTypes],
    );
    return Number(rows[0].n);
  }
}
