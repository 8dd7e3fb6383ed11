// What a batch needs from the entries before it: each stream's title and the entry each event
// corrects or answers. Entries already stored come from one query for the whole batch; entries
// earlier in the batch are recorded as the batch is walked. Only entries earlier in the feed are
// ever seen, so the result does not depend on how the feed is cut into batches.
import type { DomainEventType } from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '../projection';
import { ANSWERS } from './timeline-answers';
import type { StoredTimelineLink } from './timeline-entry';
import { STREAM_OPENERS } from './timeline-subject';

interface Entry extends StoredTimelineLink {
  title: string | undefined;
}

/** Asks for the latest stored entry of a stream, of one of `types`, below a stream version. */
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
  /** This batch's entries walked so far, per stream, in feed order. */
  private readonly walked = new Map<string, StoredTimelineLink[]>();
  /** Titles of the streams opened in this batch, once walked past. */
  private readonly openedTitles = new Map<string, string | undefined>();

  private constructor(private readonly stored: ReadonlyMap<string, Entry>) {}

  static async load(client: PoolClient, batch: readonly ProjectedEvent[]): Promise<EarlierEntries> {
    const lookups = new Map<string, Lookup>();
    const ask = (streamId: string, types: readonly string[], before: number) => {
      const key = keyOf(streamId, types, before);
      lookups.set(key, { key, stream_id: streamId, types, before });
    };
    for (const { event, stored } of batch) {
      const opener = STREAM_OPENERS[stored.streamType];
      if (opener && stored.streamVersion >= OPENER_BELOW) {
        ask(stored.streamId, [opener], OPENER_BELOW);
      }
      for (const tier of ANSWERS[event.type] ?? []) {
        ask(stored.streamId, tier, stored.streamVersion);
      }
    }
    return new EarlierEntries(await lookUp(client, [...lookups.values()]));
  }

  /** The title of the stream's opening entry, if it is known by now. */
  streamTitle(stored: StoredEvent): string | undefined {
    if (this.openedTitles.has(stored.streamId)) return this.openedTitles.get(stored.streamId);
    const opener = STREAM_OPENERS[stored.streamType];
    return opener && this.stored.get(keyOf(stored.streamId, [opener], OPENER_BELOW))?.title;
  }

  /** The earlier entry of the same stream this event corrects or answers, if any. */
  corrected(type: DomainEventType, stored: StoredEvent): StoredTimelineLink | null {
    for (const tier of ANSWERS[type] ?? []) {
      const candidates = [
        this.stored.get(keyOf(stored.streamId, tier, stored.streamVersion)),
        ...(this.walked.get(stored.streamId) ?? []).filter(
          (entry) =>
            tier.includes(entry.type as DomainEventType) &&
            entry.streamVersion < stored.streamVersion,
        ),
      ];
      let latest: StoredTimelineLink | null = null;
      for (const entry of candidates) {
        if (entry && (!latest || entry.streamVersion > latest.streamVersion)) {
          latest = { streamVersion: entry.streamVersion, type: entry.type };
        }
      }
      if (latest) return latest;
    }
    return null;
  }

  /** Makes an entry of this batch visible to the events after it. */
  record(stored: StoredEvent, title: string | undefined): void {
    if (stored.type === STREAM_OPENERS[stored.streamType]) {
      this.openedTitles.set(stored.streamId, title);
    }
    const entry: StoredTimelineLink = { streamVersion: stored.streamVersion, type: stored.type };
    const stream = this.walked.get(stored.streamId);
    if (stream) stream.push(entry);
    else this.walked.set(stored.streamId, [entry]);
  }
}

/**
 * One query for the whole batch. Each lookup walks the (stream_id, stream_version) key backwards
 * from its version: a stream's opener is one probe, and what a correction answers is a few
 * entries back in a short stream. That key is copied with the table wherever the projection is
 * built (rebuild shadows, replays), unlike read-only indexes.
 */
async function lookUp(
  client: PoolClient,
  lookups: readonly Lookup[],
): Promise<ReadonlyMap<string, Entry>> {
  const found = new Map<string, Entry>();
  if (lookups.length === 0) return found;
  const { rows } = await client.query<{
    key: string;
    stream_version: number;
    type: string;
    title: string | null;
  }>(
    `SELECT l.key, t.stream_version, t.type, t.subject->>'title' AS title
       FROM jsonb_to_recordset($1::jsonb) AS l(key text, stream_id text, types text[], before integer)
       CROSS JOIN LATERAL (
         SELECT e.stream_version, e.type, e.subject FROM proj_timeline e
          WHERE e.stream_id = l.stream_id AND e.stream_version < l.before
            AND e.type = ANY (l.types)
          ORDER BY e.stream_version DESC LIMIT 1) t`,
    [JSON.stringify(lookups)],
  );
  for (const r of rows) {
    found.set(r.key, {
      streamVersion: r.stream_version,
      type: r.type,
      title: r.title ?? undefined,
    });
  }
  return found;
}
