// What a page of the timeline needs from before its own entries: each stream's opening event (it
// names the subject) and the event each entry corrects or answers. Both are earlier events of the
// entry's own stream, so they are read from the event store, in one query for the whole page, and
// the answer depends neither on how the feed was batched when projected nor on how it is paged.
import type { DomainEventType } from '@app/domain';
import type { EventRow, EventStore, StoredEvent } from '@app/event-store';
import { EVENT_COLUMNS } from '@app/event-store';
import type { Pool } from 'pg';
import { asDomainEvent } from '../projection';
import { ANSWERS } from './timeline-answers';
import type { TimelineLink } from './timeline-entry';
import { STREAM_OPENERS, subjectOf } from './timeline-subject';

/** Asks for the latest event of a stream, of one of `types`, below a stream version. */
interface Lookup {
  key: string;
  stream_id: string;
  types: readonly string[];
  before: number;
}

const keyOf = (streamId: string, types: readonly string[], before: number): string =>
  `${streamId}\n${types.join(',')}\n${before}`;

/** A stream's opener is its first event: version 1, the only one below 2. */
const OPENER_BELOW = 2;

export class EarlierEntries {
  private constructor(private readonly found: ReadonlyMap<string, StoredEvent>) {}

  static async load(
    pool: Pick<Pool, 'query'>,
    store: Pick<EventStore, 'toStoredEvent'>,
    page: readonly StoredEvent[],
  ): Promise<EarlierEntries> {
    const lookups = new Map<string, Lookup>();
    const ask = (streamId: string, types: readonly string[], before: number) => {
      const key = keyOf(streamId, types, before);
      lookups.set(key, { key, stream_id: streamId, types, before });
    };
    for (const stored of page) {
      const opener = STREAM_OPENERS[stored.streamType];
      if (opener && stored.streamVersion >= OPENER_BELOW) {
        ask(stored.streamId, [opener], OPENER_BELOW);
      }
      for (const tier of ANSWERS[stored.type as DomainEventType] ?? []) {
        ask(stored.streamId, tier, stored.streamVersion);
      }
    }
    const found = new Map<string, StoredEvent>();
    if (lookups.size === 0) return new EarlierEntries(found);
    // Each lookup walks the stream's (stream_id, stream_version) key backwards from its version:
    // an opener is one probe, and what a correction answers is a few events back.
    const { rows } = await pool.query<EventRow & { key: string }>(
      `SELECT l.key, e.*
         FROM jsonb_to_recordset($1::jsonb) AS l(key text, stream_id text, types text[], before integer)
         CROSS JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM events
            WHERE stream_id = l.stream_id AND stream_version < l.before
              AND event_type = ANY (l.types)
            ORDER BY stream_version DESC LIMIT 1) e`,
      [JSON.stringify([...lookups.values()])],
    );
    for (const row of rows) found.set(row.key, store.toStoredEvent(row));
    return new EarlierEntries(found);
  }

  /** The title of the stream's opening event, when `stored` is a later event of that stream. */
  streamTitle(stored: StoredEvent): string | undefined {
    const opener = STREAM_OPENERS[stored.streamType];
    const opening = opener && this.found.get(keyOf(stored.streamId, [opener], OPENER_BELOW));
    return opening ? subjectOf(asDomainEvent(opening), undefined).title : undefined;
  }

  /** The earlier event of the same stream this one corrects or answers, if any. */
  corrected(stored: StoredEvent): TimelineLink | null {
    for (const tier of ANSWERS[stored.type as DomainEventType] ?? []) {
      const earlier = this.found.get(keyOf(stored.streamId, tier, stored.streamVersion));
      if (earlier) return { position: earlier.position, type: earlier.type };
    }
    return null;
  }
}
