// As-of and occurred-before answers for auditors: one agreement's events folded through the same
// projection handlers into temporary copies of the projection tables, then read with the same read
// functions the live answers use. Temporary tables shadow the live ones for unqualified names
// (PostgreSQL searches pg_temp first) and vanish when the transaction rolls back, so the replay can
// never touch the live read model and needs no second implementation of any rule.
//
// An as-of replay starts from the agreement's newest usable replay snapshot when there is one
// (its rows restored into the temporary tables, only the events after it folded, then statuses
// due by then recomputed at the as-of time, as the live sweep does): see snapshots/.
import type { StoredEvent } from '@app/event-store';
import { EventStore } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../projections';
import { createTableCopy, schemaOf } from '../rebuild/table-copies';
import { foldEvents, foldSince, readAgreementEvents } from './agreement-events';
import {
  addKeys,
  createTemporaryCopy,
  findUsableSnapshot,
  projectionSpec,
  restoreSnapshotRows,
  SNAPSHOT_PROJECTION_NAMES,
  SnapshotHeader,
} from './snapshots/replay-snapshots';

export interface ReplayTimes {
  /** Only events recorded at or before this time: the answer as the service knew it then. */
  asOf?: Date;
  /**
   * Only what had happened before this time (see `occurredBefore`), as known now or as of
   * `asOf`; statuses are computed at it.
   */
  occurredBefore?: Date;
}

export interface ReplayContext {
  /**
   * Queries on the replay's connection, whose unqualified proj_* names are the replayed copies.
   * Concurrent queries (read functions use Promise.all) are run one after another.
   */
  db: Pick<Pool, 'query'>;
  /** The time statuses are judged at: occurredBefore, else asOf. */
  at: Date;
  /** global_position of the newest event folded or restored from a snapshot (0 when none was). */
  lastPosition: number;
  /** Events folded by this replay (those after the snapshot, when it started from one). */
  eventsFolded: number;
  /** The replay snapshot the replay started from, if any. */
  snapshot: { snapshotId: number; eventsCount: number; globalPosition: number } | null;
}

export interface AgreementReplayOptions {
  /** Start as-of replays from replay snapshots (default true). */
  snapshots?: boolean;
}

/** The tables a replay shadows: every projection's, and the checkpoints read for lastPosition. */
const CHECKPOINTS_TABLE = 'projection_checkpoints';

export class AgreementReplay {
  private readonly store: EventStore;

  private readonly useSnapshots: boolean;

  constructor(
    private readonly pool: Pool,
    private readonly projections: readonly Projection[] = PROJECTIONS,
    options: AgreementReplayOptions = {},
  ) {
    this.store = new EventStore(pool);
    this.useSnapshots = options.snapshots ?? true;
  }

  /**
   * Folds the agreement's events (filtered by the given times) into the `needed` projections
   * (default: all; every projection's tables are shadowed either way, so a read never sees live
   * rows) and hands `read` a context whose queries see the replayed tables. Everything is rolled
   * back afterwards.
   */
  async run<T>(
    agreementId: string,
    times: ReplayTimes,
    read: (context: ReplayContext) => Promise<T>,
    now: Date = new Date(),
    needed: readonly string[] = this.projections.map((p) => p.name),
  ): Promise<T> {
    const folded = this.projections.filter((p) => needed.includes(p.name));
    const at = times.occurredBefore ?? times.asOf ?? now;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const live = await schemaOf(client, CHECKPOINTS_TABLE);
      const snapshot = await this.snapshotFor(client, live, agreementId, times, at, folded);
      const restoring = snapshot ? folded.flatMap((p) => p.tables) : [];
      await this.createTemporaryTables(client, live, restoring);
      const restored = snapshot && (await this.restore(client, live, snapshot, restoring));
      const events = restored
        ? await readAgreementEvents(client, this.store, agreementId, {
            after: restored,
            recordedUntil: times.asOf ?? null,
            eventsBefore: restored.eventsCount,
          })
        : await this.eventsOf(client, agreementId, times);
      // Restored rows were computed when the snapshot's last event was recorded.
      await (restored ? foldSince : foldEvents)(client, folded, events, at);
      const lastPosition =
        events.length > 0
          ? events[events.length - 1].position
          : restored
            ? Number(restored.globalPosition)
            : 0;
      await client.query(
        `INSERT INTO ${CHECKPOINTS_TABLE} (name, version, global_position)
         SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[])`,
        [
          this.projections.map((p) => p.name),
          this.projections.map((p) => p.version),
          this.projections.map(() => lastPosition),
        ],
      );
      return await read({
        db: serialized(client),
        at,
        lastPosition,
        eventsFolded: events.length,
        snapshot: restored
          ? {
              snapshotId: restored.snapshotId,
              eventsCount: restored.eventsCount,
              globalPosition: Number(restored.globalPosition),
            }
          : null,
      });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /**
   * Replays the agreement the stream belongs to (as known by `asOf`); null when the stream did not
   * exist then.
   */
  async runForStream<T>(
    streamId: string,
    times: ReplayTimes,
    read: (context: ReplayContext) => Promise<T>,
    now: Date = new Date(),
    needed?: readonly string[],
  ): Promise<T | null> {
    const agreementId = await this.agreementOf(streamId, times.asOf);
    return agreementId === null ? null : this.run(agreementId, times, read, now, needed);
  }

  /**
   * The agreement a stream belongs to, from its first event, when that was recorded by `asOf`;
   * null for a stream unknown at that time.
   */
  async agreementOf(streamId: string, asOf?: Date): Promise<string | null> {
    const { rows } = await this.pool.query<{ agreement_id: string | null }>(
      `SELECT data->>'agreementId' AS agreement_id FROM events
        WHERE stream_id = $1 AND stream_version = 1
          AND ($2::timestamptz IS NULL OR recorded_at <= $2)`,
      [streamId, asOf ?? null],
    );
    return rows[0]?.agreement_id ?? null;
  }

  /** Copies of every projection's tables; those a snapshot will fill get their keys after. */
  private async createTemporaryTables(
    client: PoolClient,
    live: string,
    restoring: readonly string[],
  ): Promise<void> {
    for (const table of [CHECKPOINTS_TABLE, ...this.projections.flatMap((p) => p.tables)]) {
      if (restoring.includes(table)) {
        await createTemporaryCopy(client, live, table, { session: false, keys: false });
      } else {
        await createTableCopy(client, live, table, null);
      }
    }
  }

  /**
   * The newest snapshot an as-of replay may start from: only when every projection folded is one
   * snapshots cover, never for occurredBefore (it keeps a different set of events), and only one
   * whose events were all recorded by `at` (its rows were computed then, before `at`).
   */
  private async snapshotFor(
    client: PoolClient,
    live: string,
    agreementId: string,
    times: ReplayTimes,
    at: Date,
    folded: readonly Projection[],
  ): Promise<SnapshotHeader | null> {
    const covered: readonly string[] = SNAPSHOT_PROJECTION_NAMES;
    if (!this.useSnapshots || times.occurredBefore !== undefined || folded.length === 0) {
      return null;
    }
    if (!folded.every((p) => covered.includes(p.name))) return null;
    const spec = await projectionSpec(client, folded, live);
    return findUsableSnapshot(client, agreementId, spec, { recordedBy: at, lock: true });
  }

  /**
   * Restores the snapshot's rows into the copies of `tables` and adds their keys. Stored rows
   * that do not add up (a chunk gone, a duplicate key, a value of the wrong type) undo the
   * restore: null, and the replay folds every event instead.
   */
  private async restore(
    client: PoolClient,
    live: string,
    snapshot: SnapshotHeader,
    tables: readonly string[],
  ): Promise<SnapshotHeader | null> {
    await client.query('SAVEPOINT replay_snapshot');
    try {
      if (await restoreSnapshotRows(client, snapshot, tables)) {
        for (const table of tables) await addKeys(client, live, table);
        await client.query('RELEASE SAVEPOINT replay_snapshot');
        return snapshot;
      }
    } catch (err) {
      // Data (22) and integrity (23) errors come from the stored rows; anything else is ours.
      if (!/^2[23]/.test((err as { code?: string }).code ?? '')) throw err;
    }
    await client.query('ROLLBACK TO SAVEPOINT replay_snapshot');
    for (const table of tables) await addKeys(client, live, table);
    return null;
  }

  private async eventsOf(
    client: PoolClient,
    agreementId: string,
    times: ReplayTimes,
  ): Promise<StoredEvent[]> {
    const events = await readAgreementEvents(client, this.store, agreementId, {
      recordedUntil: times.asOf ?? null,
    });
    return times.occurredBefore ? occurredBefore(events, times.occurredBefore) : events;
  }
}

/** One connection runs one query at a time: queue them instead of overlapping. */
function serialized(client: PoolClient): Pick<Pool, 'query'> {
  let last: Promise<unknown> = Promise.resolve();
  const query = (...args: unknown[]) => {
    const run = () => (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  return { query } as Pick<Pool, 'query'>;
}

/**
 * Keeps what had happened before `t`, as known now. Only events with an occurred time are facts
 * that can lie after `t`; the rest (registrations, amendments, sources, disputes, verdicts) are
 * knowledge and stay. The agreement's registration stays too: its effective time is one of its
 * terms, and statuses judged before it are simply not yet due. A stream whose first event is
 * dropped (the incident itself came later) loses all its events.
 */
export function occurredBefore(events: readonly StoredEvent[], t: Date): StoredEvent[] {
  const limit = t.getTime();
  const dropped = new Set<string>();
  return events.filter((e) => {
    if (dropped.has(e.streamId)) return false;
    if (e.occurredAt === null || e.type === 'AgreementRegistered') return true;
    if (e.occurredAt.getTime() < limit) return true;
    if (e.streamVersion === 1) dropped.add(e.streamId);
    return false;
  });
}
