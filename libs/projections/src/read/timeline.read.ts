// GET /v1/agreements/:id/timeline: the agreement's events in feed order, as a human account. The
// projection keeps only the order (proj_timeline, an index of the feed by agreement); each page's
// sentences, recorders, sources, subjects and links are written here from the events themselves,
// so they are the same words whenever they are read and a rebuild never has to write them.
import type { Source } from '@app/domain';
import type { EventRow, EventStore } from '@app/event-store';
import type { Pool } from 'pg';
import { asDomainEvent } from '../projection';
import { EarlierEntries } from '../timeline/earlier-entries';
import type { TimelineLink, TimelineRecorder, TimelineSubject } from '../timeline/timeline-entry';
import { recorderOf } from '../timeline/timeline-recorder';
import { citedSources } from '../timeline/timeline-sources';
import { subjectOf } from '../timeline/timeline-subject';
import { summarise } from '../timeline/timeline-summary';
import type { Page } from './cursor';
import { decodeListCursor, isoOrNull, pageLimit, toPage } from './cursor';

export type { TimelineLink, TimelineRecorder, TimelineSubject } from '../timeline/timeline-entry';
export { TIMELINE_SUBJECT_KINDS } from '../timeline/timeline-entry';

export interface TimelineItem {
  position: number;
  recordedAt: string;
  occurredAt: string | null;
  type: string;
  streamId: string;
  summary: string;
  /** Null when the event's metadata names no actor. */
  recordedBy: TimelineRecorder | null;
  sources: Source[];
  subject: TimelineSubject;
  /** The earlier entry of the same stream this one corrects or answers. */
  corrects: TimelineLink | null;
}

export async function timeline(
  pool: Pick<Pool, 'query'>,
  store: Pick<EventStore, 'toStoredEvent'>,
  agreementId: string,
  cursor?: string | null,
  limit?: number,
): Promise<Page<TimelineItem>> {
  const after = decodeListCursor('timeline', cursor);
  const size = pageLimit(limit);
  const { rows } = await pool.query<EventRow & { seq: string }>(
    `SELECT t.seq::text, e.*
       FROM proj_timeline t JOIN events e ON e.global_position = t.position
      WHERE t.agreement_id = $1 AND ($2::bigint IS NULL OR t.seq > $2::bigint)
      ORDER BY t.seq LIMIT $3`,
    [agreementId, after, size + 1],
  );
  const entries = rows.map((row) => ({ seq: row.seq, stored: store.toStoredEvent(row) }));
  const earlier = await EarlierEntries.load(
    pool,
    store,
    entries.slice(0, size).map((entry) => entry.stored),
  );
  return toPage('timeline', entries, size, ({ stored }) => {
    const event = asDomainEvent(stored);
    const recordedBy = recorderOf(stored.metadata);
    const subject = subjectOf(event, earlier.streamTitle(stored));
    return {
      position: stored.position,
      recordedAt: stored.recordedAt.toISOString(),
      occurredAt: isoOrNull(stored.occurredAt),
      type: stored.type,
      streamId: stored.streamId,
      summary: summarise(event, recordedBy, subject),
      recordedBy,
      sources: [...citedSources(event)],
      subject,
      corrects: earlier.corrected(stored),
    };
  });
}
