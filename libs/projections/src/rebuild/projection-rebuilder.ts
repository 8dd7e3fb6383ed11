// Rebuild without downtime. The projection is built from the start of the feed into copies of its
// tables in a shadow schema, in large batches, by the same handlers (an unqualified table name
// resolves to the shadow copy through search_path). The live tables keep serving reads and keep
// catching up meanwhile. At the head, one transaction holds the live checkpoint, drains the last
// events into the shadow, replaces the live tables by the shadow ones and moves the checkpoint.
// Each batch commits with the shadow checkpoint (projection_rebuilds), so a rebuild whose worker
// died resumes where it stopped.
import {
  comparePositions,
  earliestPosition,
  EventStore,
  FEED_START,
  rowPosition,
} from '@app/event-store';
import type { EventRow, FeedPosition, StoredEvent } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@app/shared/database/transaction';
import type { Projection } from '../projection';
import { FeedBatches } from './feed-batches';
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

/**
 * A pool client held for a whole rebuild. pg-pool takes its own error listener off a client it
 * hands out, so a connection lost while the client waits between two queries (a PostgreSQL
 * restart: 57P01, then "Connection terminated unexpectedly") would be an 'error' event nobody
 * listens to, and the process would crash. The listener here keeps the error instead: the next
 * query on the client fails, and so does the rebuild (its job retries and resumes).
 */
class HeldClient {
  /** The error the connection was lost with, if it was. */
  lost: Error | undefined;
  private readonly onError = (err: Error) => {
    this.lost ??= err;
  };

  private constructor(readonly client: PoolClient) {
    client.on('error', this.onError);
  }

  static async connect(pool: Pool): Promise<HeldClient> {
    return new HeldClient(await pool.connect());
  }

  /**
   * Gives the client back to the pool, or destroys it when its connection was lost or `broken`
   * is given (a session lock it still holds dies with it). Never throws.
   */
  release(broken?: Error): void {
    this.client.release(this.lost ?? broken);
    // After release: the pool has put its own listener back on by then.
    this.client.off('error', this.onError);
  }
}

/** A projection being rebuilt, with the connection its shadow transactions run on. */
interface Member {
  projection: Projection;
  held: HeldClient;
  client: PoolClient;
  /** Whether this connection holds the projection's rebuild lock. */
  locked: boolean;
  shadow: string;
  types: ReadonlySet<string>;
  /** Committed events of its types when the rebuild (or its resume) started. */
  total: number;
  checkpoint: ShadowCheckpoint;
  phase: RebuildProgress['phase'];
}

/**
 * Projections that read most of the feed share one read of it. One that reads a small part
 * (agreements, tallies and obligations handle a few percent of the events) reads its own types on
 * its own: far fewer rows than the union, in batches as large as everyone else's.
 */
function readGroups(members: Member[]): Member[][] {
  const largest = Math.max(...members.map((m) => m.total));
  const shared = members.filter((m) => m.total * 2 >= largest);
  return [shared, ...members.filter((m) => !shared.includes(m)).map((m) => [m])];
}

/** The session advisory lock one rebuild of a projection holds (on hashtext of this key). */
function rebuildLockKey(projection: Pick<Projection, 'name'>): string {
  return `projection-rebuild:${projection.name}`;
}

/**
 * Reads the next batch of the feed (events of `types` after `after`) on the rebuild's reader, with
 * the feed's head as of the same read.
 */
type ReadFeed = (
  after: FeedPosition,
  types: readonly string[],
) => Promise<{ rows: EventRow[]; head: FeedPosition | null }>;

/**
 * Where a reader of some types stands after a batch: past its last row, and, when the batch was
 * not full (it has read everything of its types), at the feed's head of the same read if that is
 * further: events of other types up to there are behind it too.
 */
function batchEnd(
  rows: readonly EventRow[],
  head: FeedPosition | null,
  full: boolean,
): FeedPosition | null {
  const last = rows.at(-1);
  const end = last ? rowPosition(last) : null;
  if (full || !head) return end;
  return end && comparePositions(end, head) >= 0 ? end : head;
}

/** A feed event and its position (the order of the feed). */
interface FeedEvent {
  position: FeedPosition;
  event: StoredEvent;
}

/**
 * Like Promise.all, but waits for every member's work to finish before failing: a connection
 * must not go back to the pool with a query still running on it.
 */
async function settleAll<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function progressOf(member: Member, phase: RebuildProgress['phase']): RebuildProgress {
  const { eventsRead, position } = member.checkpoint;
  return {
    name: member.projection.name,
    phase,
    position: Number(position.globalPosition),
    eventsRead,
    eventsTotal: member.total,
    percent:
      phase === 'swapped'
        ? 100
        : Math.min(99, Math.floor((100 * eventsRead) / Math.max(1, member.total))),
  };
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

  /**
   * Of `projections`, those due a rebuild. At `start-up` (and for a rebuild job about to run):
   * those whose checkpoint holds another version than the code's (a deploy changed it, either
   * way) and those with a rebuild left half-done. For the `periodic` check, which also runs while
   * a deploy is rolling out, only what this code's version should build: a checkpoint of an older
   * version, or a half-done rebuild of this version (a newer version's is left to its workers).
   * `resume`: a rebuild of it is half-done.
   */
  async due(
    projections: readonly Projection[],
    when: 'start-up' | 'periodic',
  ): Promise<{ projection: Projection; resume: boolean }[]> {
    const { rows } = await this.pool.query<{
      name: string;
      version: number;
      rebuild_version: number | null;
    }>(
      `SELECT c.name, c.version, r.version AS rebuild_version
         FROM projection_checkpoints c LEFT JOIN projection_rebuilds r USING (name)
        WHERE c.name = ANY ($1::text[])`,
      [projections.map((p) => p.name)],
    );
    return projections.flatMap((projection) => {
      const row = rows.find((r) => r.name === projection.name);
      if (!row) return [];
      const { version } = projection;
      const due =
        when === 'start-up'
          ? row.version !== version || row.rebuild_version !== null
          : row.version < version || row.rebuild_version === version;
      return due ? [{ projection, resume: row.rebuild_version !== null }] : [];
    });
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
    const [done] = await this.rebuildTogether([projection], options);
    return done;
  }

  /**
   * Rebuilds several projections from one read of the feed: each batch is read and parsed once
   * (the union of their event types) and applied to every shadow at once, each projection in its
   * own transaction with its own shadow checkpoint, while the next batch is being read. Each may
   * resume from a different checkpoint; each swaps in on its own at the head. Returns one progress
   * per projection, in the order given.
   */
  async rebuildTogether(
    projections: readonly Projection[],
    options: RebuildOptions = {},
  ): Promise<RebuildProgress[]> {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? REBUILD_BATCH_SIZE, 10_000));
    const members: Member[] = [];
    try {
      for (const projection of projections) {
        const held = await HeldClient.connect(this.pool);
        const member: Member = {
          projection,
          held,
          client: held.client,
          locked: false,
          shadow: ProjectionRebuilder.shadowSchema(projection),
          types: new Set(projection.handledEventTypes),
          total: 0,
          checkpoint: { position: FEED_START, eventsRead: 0 },
          phase: 'building',
        };
        members.push(member);
        // A session lock: it dies with the connection, so a killed worker never blocks the retry.
        const { rows } = await member.client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
          [rebuildLockKey(projection)],
        );
        if (!rows[0].locked) throw new RebuildInProgress(projection.name);
        member.locked = true;
      }
      return await this.run(members, batchSize, options);
    } finally {
      // Every member's connection goes back, whatever happened to the others'.
      for (const member of members) await this.letGo(member);
    }
  }

  /**
   * Lets go of a member's rebuild lock and connection. Never throws: a connection that was lost,
   * or whose unlock failed, is destroyed instead of going back to the pool (its session lock
   * ends with it).
   */
  private async letGo(member: Member): Promise<void> {
    let broken: Error | undefined;
    if (member.locked && !member.held.lost) {
      try {
        await member.client.query('SELECT pg_advisory_unlock(hashtext($1))', [
          rebuildLockKey(member.projection),
        ]);
      } catch (err) {
        broken = err instanceof Error ? err : new Error(String(err));
      }
    }
    member.held.release(broken);
  }

  private async run(
    members: Member[],
    batchSize: number,
    options: RebuildOptions,
  ): Promise<RebuildProgress[]> {
    if (members.length === 0) return [];
    const live = await schemaOf(members[0].client, 'projection_checkpoints');
    for (const member of members) {
      member.total = await this.committedEvents(member.client, member.projection);
      member.checkpoint = await this.prepare(member.client, member.projection, live, member.shadow);
    }
    // One reading connection for every group: their reads take turns on it, each while its
    // group's shadows apply the batch before (a rebuild holds a connection per projection, plus
    // this one). A lost connection is destroyed on release, not given back.
    const reader = await HeldClient.connect(this.pool);
    let reading: Promise<unknown> = Promise.resolve();
    const read: ReadFeed = (after, types) => {
      const batch = reading.then(() =>
        this.store.readFeedRowsToHead(after, batchSize, reader.client, types),
      );
      reading = batch.catch(() => undefined);
      return batch;
    };
    try {
      await settleAll(
        readGroups(members).map((group) => this.build(group, read, live, batchSize, options)),
      );
    } finally {
      await reading;
      reader.release();
    }
    return members.map((m) => progressOf(m, m.phase));
  }

  /**
   * Reads the feed once for the group (the union of its types) from its earliest shadow
   * checkpoint, applies each batch to every member's shadow while the next batch is being read,
   * then builds the read indexes and swaps each member in.
   */
  private async build(
    members: Member[],
    readFeed: ReadFeed,
    live: string,
    batchSize: number,
    options: RebuildOptions,
  ): Promise<void> {
    const interrupted = () =>
      new RebuildInterrupted(members.map((m) => m.projection.name).join(', '));
    const types = [...new Set(members.flatMap((m) => [...m.types]))];
    const from = earliestPosition(members.map((m) => m.checkpoint.position));
    const feed = new FeedBatches<FeedEvent>(
      async (after) => {
        const { rows, head } = await readFeed(after, types);
        const full = rows.length === batchSize;
        const end = batchEnd(rows, head, full);
        if (!end || comparePositions(end, after) <= 0) return null;
        return { events: this.feedEvents(rows), end, full };
      },
      from,
      members.length,
    );
    let stopped = false;
    await settleAll(
      members.map(async (member, taker) => {
        try {
          for (let index = 0; ; index++) {
            if (options.maxBatches !== undefined && index >= options.maxBatches) {
              stopped = true;
              return;
            }
            if (options.signal?.aborted) throw interrupted();
            const batch = await feed.take(index);
            if (!batch) return;
            await this.applyBatch(member, live, batch.events, batch.end);
            feed.done(taker, index);
            await options.onProgress?.(progressOf(member, 'building'));
            if (!batch.full) return;
          }
        } finally {
          feed.leave(taker);
        }
      }),
    );
    if (stopped) return;
    if (options.signal?.aborted) throw interrupted();
    await settleAll(
      members.map(async (member) => {
        const { client, projection, shadow } = member;
        // The read indexes, built once over the whole table rather than maintained row by row.
        for (const table of projection.tables) await addReadIndexes(client, live, table, shadow);
        member.checkpoint = await this.swap(member, live, batchSize);
        member.phase = 'swapped';
        await options.onProgress?.(progressOf(member, 'swapped'));
      }),
    );
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

  /**
   * One batch of the feed into a member's shadow tables, in its own transaction: the events of its
   * types after its shadow checkpoint; the checkpoint moves to the end of the batch.
   */
  private applyBatch(
    member: Member,
    live: string,
    batch: readonly FeedEvent[],
    end: FeedPosition,
  ): Promise<void> {
    const { client, projection, shadow } = member;
    return inTransaction(client, async () => {
      const from = await this.lockShadowCheckpoint(client, projection);
      await this.useShadow(client, shadow, live);
      member.checkpoint = await this.applyEvents(member, from, batch, end);
    });
  }

  /** Applies the batch's events that are the member's, and moves its shadow checkpoint to `end`. */
  private async applyEvents(
    member: Member,
    from: ShadowCheckpoint,
    batch: readonly FeedEvent[],
    end: FeedPosition,
  ): Promise<ShadowCheckpoint> {
    const { client, projection } = member;
    if (comparePositions(end, from.position) <= 0) return from;
    const events = batch
      .filter(
        (e) => member.types.has(e.event.type) && comparePositions(e.position, from.position) > 0,
      )
      .map((e) => e.event);
    if (events.length > 0) await projection.apply(events, client, this.now());
    const next = { position: end, eventsRead: from.eventsRead + events.length };
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
    return next;
  }

  /**
   * Holding the live checkpoint (live catch-up of this projection pauses), drains the feed into
   * the shadow, replaces the live tables by the shadow ones (keeping the live index names) and
   * moves the live checkpoint to where the shadow stands. Readers block only for this commit.
   */
  private async swap(member: Member, live: string, batchSize: number): Promise<ShadowCheckpoint> {
    const { client, projection, shadow } = member;
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
            const { rows, head } = await this.store.readFeedRowsToHead(
              checkpoint.position,
              batchSize,
              client,
              projection.handledEventTypes,
            );
            const full = rows.length === batchSize;
            const end = batchEnd(rows, head, full);
            if (end) {
              const batch = this.feedEvents(rows);
              checkpoint = await this.applyEvents(member, checkpoint, batch, end);
            }
            if (!full) break;
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

  private feedEvents(rows: readonly EventRow[]): FeedEvent[] {
    return rows.map((row) => ({
      position: rowPosition(row),
      event: this.store.toStoredEvent(row),
    }));
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
