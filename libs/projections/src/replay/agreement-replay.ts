// As-of and occurred-before answers for auditors: one agreement's events folded through the same
// projection handlers into temporary copies of the projection tables, then read with the same read
// functions the live answers use. Temporary tables shadow the live ones for unqualified names
// (PostgreSQL searches pg_temp first) and vanish when the transaction rolls back, so the replay can
// never touch the live read model and needs no second implementation of any rule.
import type { EventRow, StoredEvent } from '@app/event-store';
import { EVENT_COLUMNS, EventStore } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../projections';
import { createTableCopy, schemaOf } from '../rebuild/table-copies';

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
  /** global_position of the newest event folded (0 when none was). */
  lastPosition: number;
  eventsFolded: number;
}

/** Events per `apply` call: large batches keep the set-based handlers efficient. */
const REPLAY_BATCH = 20_000;

/** The tables a replay shadows: every projection's, and the checkpoints read for lastPosition. */
const CHECKPOINTS_TABLE = 'projection_checkpoints';

/**
 * Every stream the agreement owns (each stream's first event names its agreement, found through
 * a partial index), in feed order, recorded up to `asOf`.
 */
const AGREEMENT_EVENTS_SQL = `SELECT ${EVENT_COLUMNS} FROM events
  WHERE stream_id IN (SELECT stream_id FROM events
                       WHERE data->>'agreementId' = $1 AND stream_version = 1)
    AND ($2::timestamptz IS NULL OR recorded_at <= $2)
  ORDER BY transaction_id, global_position`;

export class AgreementReplay {
  private readonly store: EventStore;

  constructor(
    private readonly pool: Pool,
    private readonly projections: readonly Projection[] = PROJECTIONS,
  ) {
    this.store = new EventStore(pool);
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
      await this.createTemporaryTables(client);
      const events = await this.eventsOf(client, agreementId, times);
      for (const projection of folded) {
        const handled = new Set<string>(projection.handledEventTypes);
        const mine = events.filter((e) => handled.has(e.type));
        for (let i = 0; i < mine.length; i += REPLAY_BATCH) {
          await projection.apply(mine.slice(i, i + REPLAY_BATCH), client, at);
        }
      }
      const lastPosition = events.length === 0 ? 0 : events[events.length - 1].position;
      await client.query(
        `INSERT INTO ${CHECKPOINTS_TABLE} (name, version, global_position)
         SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[])`,
        [
          this.projections.map((p) => p.name),
          this.projections.map((p) => p.version),
          this.projections.map(() => lastPosition),
        ],
      );
      return await read({ db: serialized(client), at, lastPosition, eventsFolded: events.length });
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

  private async createTemporaryTables(client: PoolClient): Promise<void> {
    const live = await schemaOf(client, CHECKPOINTS_TABLE);
    for (const table of [CHECKPOINTS_TABLE, ...this.projections.flatMap((p) => p.tables)]) {
      await createTableCopy(client, live, table, null);
    }
  }

  private async eventsOf(
    client: PoolClient,
    agreementId: string,
    times: ReplayTimes,
  ): Promise<StoredEvent[]> {
    const { rows } = await client.query<EventRow>(AGREEMENT_EVENTS_SQL, [
      agreementId,
      times.asOf ?? null,
    ]);
    const events = rows.map((r) => this.store.toStoredEvent(r));
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
