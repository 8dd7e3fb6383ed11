// GET /v1/agreements/:id/timeline: the agreement's events in feed order, as a human account.
import type { Source } from '@app/domain';
import { parseStreamId } from '@app/domain';
import type { Pool } from 'pg';
import type { TimelineLink, TimelineRecorder, TimelineSubject } from '../timeline/timeline-entry';
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
  agreementId: string,
  cursor?: string | null,
  limit?: number,
): Promise<Page<TimelineItem>> {
  const after = decodeListCursor('timeline', cursor);
  const size = pageLimit(limit);
  const { rows } = await pool.query<{
    seq: string;
    position: string;
    recorded_at: Date;
    occurred_at: Date | null;
    type: string;
    stream_id: string;
    summary: string;
    recorded_by: TimelineRecorder | null;
    sources: Source[];
    subject: TimelineSubject | null;
    corrects_position: string | null;
    corrects_type: string | null;
  }>(
    // Links are stored by stream version (stable across databases); the reader wants the feed
    // position of the entry, as every item shows it.
    `SELECT t.seq::text, t.position::text, t.recorded_at, t.occurred_at, t.type, t.stream_id,
            t.summary, t.recorded_by, t.sources, t.subject, c.position::text AS corrects_position,
            c.type AS corrects_type
       FROM proj_timeline t
       LEFT JOIN proj_timeline c
         ON c.stream_id = t.stream_id AND c.type = t.corrects->>'type'
        AND c.stream_version = (t.corrects->>'streamVersion')::integer
      WHERE t.agreement_id = $1 AND ($2::bigint IS NULL OR t.seq > $2::bigint)
      ORDER BY t.seq LIMIT $3`,
    [agreementId, after, size + 1],
  );
  return toPage('timeline', rows, size, (r) => ({
    position: Number(r.position),
    recordedAt: r.recorded_at.toISOString(),
    occurredAt: isoOrNull(r.occurred_at),
    type: r.type,
    streamId: r.stream_id,
    summary: r.summary,
    recordedBy: r.recorded_by,
    sources: r.sources,
    subject: r.subject ?? streamSubject(r.stream_id, agreementId),
    corrects:
      r.corrects_position === null || r.corrects_type === null
        ? null
        : { position: Number(r.corrects_position), type: r.corrects_type },
  }));
}

/**
 * Rows projected before the timeline's version 2 carry no subject until the worker's rebuild
 * replaces them: until then the stream says what they are about.
 */
function streamSubject(streamId: string, agreementId: string): TimelineSubject {
  const stream = parseStreamId(streamId);
  return stream ? { kind: stream.type, id: stream.id } : { kind: 'agreement', id: agreementId };
}
