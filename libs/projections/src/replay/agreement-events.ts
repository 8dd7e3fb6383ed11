// One agreement's events as replays and replay snapshots read them (every stream the agreement
// owns, in feed order), and the fold of a run of them through projection handlers.
import type { EventRow, FeedPosition, StoredEvent } from '@app/event-store';
import { comparePositions, EVENT_COLUMNS, EventStore } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import { recomputeDueObligations } from '../obligations/obligation-status-sweep';
import type { Projection } from '../projection';

/** A feed position as PostgreSQL prints it: xid8 and bigint as decimal text. */
export interface FeedPoint {
  transactionId: string;
  globalPosition: string;
}

/** Events per `apply` call: large batches keep the set-based handlers efficient. */
export const REPLAY_BATCH = 20_000;

/**
 * Every stream the agreement owns (each stream's first event names its agreement, found through
 * a partial index), in feed order, recorded up to `asOf`; optionally after and up to feed
 * positions, only the commit-safe prefix of the feed (no transaction below it can still commit)
 * and a limit. Reads every event of the agreement (the filters apply to each).
 */
const AGREEMENT_EVENTS_SQL = `SELECT ${EVENT_COLUMNS} FROM events
  WHERE stream_id IN (SELECT stream_id FROM events
                       WHERE data->>'agreementId' = $1 AND stream_version = 1)
    AND ($2::timestamptz IS NULL OR recorded_at <= $2)
    AND ($3::xid8 IS NULL OR (transaction_id, global_position) <= ($3::xid8, $4::bigint))
    AND (NOT $5::boolean OR transaction_id < pg_snapshot_xmin(pg_current_snapshot()))
    AND ($7::xid8 IS NULL OR (transaction_id, global_position) > ($7::xid8, $8::bigint))
  ORDER BY transaction_id, global_position
  LIMIT $6`;

/**
 * The same after a feed position, read from the feed instead: a range of the feed index (every
 * agreement's events after the position), each event's stream checked through its first event.
 * OFFSET 0 keeps that check a lookup per event; without it the planner joins every stream of the
 * agreement (it guesses a few hundred where a large agreement has tens of thousands) and reads
 * every event of the agreement to keep the few after the position.
 */
const AGREEMENT_EVENTS_AFTER_SQL = `SELECT ${EVENT_COLUMNS} FROM events e
  WHERE (e.transaction_id, e.global_position) > ($7::xid8, $8::bigint)
    AND ($2::timestamptz IS NULL OR e.recorded_at <= $2)
    AND ($3::xid8 IS NULL OR (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint))
    AND (NOT $5::boolean OR e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()))
    AND EXISTS (SELECT 1 FROM events f
                 WHERE f.stream_id = e.stream_id AND f.stream_version = 1
                   AND f.data->>'agreementId' = $1 OFFSET 0)
  ORDER BY e.transaction_id, e.global_position
  LIMIT $6`;

export interface AgreementEventsFilter {
  /** Only events after this feed position. */
  after?: FeedPoint | null;
  /** Only events up to this feed position (inclusive). */
  upTo?: FeedPoint | null;
  /** Only events recorded at or before this time. */
  recordedUntil?: Date | null;
  /** Only the commit-safe prefix of the feed (no transaction below it can still commit). */
  commitSafe?: boolean;
  limit?: number;
  /**
   * How many of the agreement's events lie up to `after` (a snapshot's count). Events after a
   * position are read from the feed while the feed after it is not much longer than the
   * agreement (a snapshot a while back, in a ledger of many agreements), else from the
   * agreement's streams. `strategy` forces one way.
   */
  eventsBefore?: number;
  strategy?: 'feed' | 'streams';
}

/** Read the feed after a position while it holds at most this many events per agreement event. */
const FEED_PER_AGREEMENT_EVENT = 2;
/** ... or at most this many events whatever the agreement's size. */
const FEED_ALWAYS = 20_000;

/** The agreement's events in feed order, as stored events (upcast). */
export async function readAgreementEvents(
  db: Pick<Pool, 'query'> | PoolClient,
  store: EventStore,
  agreementId: string,
  filter: AgreementEventsFilter = {},
): Promise<StoredEvent[]> {
  const after = filter.after && filter.after.globalPosition !== '0' ? filter.after : null;
  const values: unknown[] = [
    agreementId,
    filter.recordedUntil ?? null,
    filter.upTo?.transactionId ?? null,
    filter.upTo?.globalPosition ?? null,
    filter.commitSafe === true,
    filter.limit ?? null,
    after?.transactionId ?? null,
    after?.globalPosition ?? null,
  ];
  const fromFeed = after !== null && (await readFromFeed(db, after, filter));
  const { rows } = await db.query<EventRow>(
    fromFeed ? AGREEMENT_EVENTS_AFTER_SQL : AGREEMENT_EVENTS_SQL,
    values,
  );
  return rows.map((r) => store.toStoredEvent(r));
}

async function readFromFeed(
  db: Pick<Pool, 'query'> | PoolClient,
  after: FeedPoint,
  filter: AgreementEventsFilter,
): Promise<boolean> {
  if (filter.strategy) return filter.strategy === 'feed';
  if (filter.eventsBefore === undefined) return true;
  // Identity positions: the newest minus the position bounds the events after it (one index probe).
  const { rows } = await db.query<{ newest: string | null }>(
    'SELECT max(global_position)::text AS newest FROM events',
  );
  const feedAfter = Number(rows[0].newest ?? 0) - Number(after.globalPosition);
  return feedAfter <= Math.max(FEED_ALWAYS, FEED_PER_AGREEMENT_EVENT * filter.eventsBefore);
}

/** The feed position of a stored event. */
export function pointOf(event: StoredEvent): FeedPoint {
  return { transactionId: event.transactionId, globalPosition: String(event.position) };
}

/** Feed order of two positions (negative, zero or positive). */
export function compareFeedPoints(a: FeedPoint, b: FeedPoint): number {
  const position = (p: FeedPoint): FeedPosition => ({
    transactionId: BigInt(p.transactionId),
    globalPosition: BigInt(p.globalPosition),
  });
  return comparePositions(position(a), position(b));
}

/**
 * Folds events (feed order) through each projection's handlers, in batches of REPLAY_BATCH of
 * the types it handles, statuses computed at `now`. Deterministic: a snapshot's verification
 * folds its steps the same way to get the same rows.
 */
export async function foldEvents(
  client: PoolClient,
  projections: readonly Projection[],
  events: readonly StoredEvent[],
  now: Date,
): Promise<void> {
  for (const projection of projections) {
    const handled = new Set<string>(projection.handledEventTypes);
    const mine = events.filter((e) => handled.has(e.type));
    for (let i = 0; i < mine.length; i += REPLAY_BATCH) {
      await projection.apply(mine.slice(i, i + REPLAY_BATCH), client, now);
    }
  }
}

/**
 * Folds events onto rows computed at an earlier time (a snapshot's), then recomputes the
 * statuses that fell due by `at` with the live sweep's function: the steps the live projection
 * takes, so the rows are the ones it had at `at`.
 */
export async function foldSince(
  client: PoolClient,
  projections: readonly Projection[],
  events: readonly StoredEvent[],
  at: Date,
): Promise<void> {
  await foldEvents(client, projections, events, at);
  if (projections.some((p) => p.name === 'obligations')) await recomputeDueObligations(client, at);
}
