// GET /v1/agreements/:id/timeline: the agreement's events in feed order.
import type { Pool } from 'pg';
import type { Page } from './cursor';
import { decodeListCursor, isoOrNull, pageLimit, toPage } from './cursor';

export interface TimelineItem {
  position: number;
  recordedAt: string;
  occurredAt: string | null;
  type: string;
  streamId: string;
  summary: string;
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
  }>(
    `SELECT seq::text, position::text, recorded_at, occurred_at, type, stream_id, summary
       FROM proj_timeline t
      WHERE agreement_id = $1 AND ($2::bigint IS NULL OR seq > $2::bigint)
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
  }));
}
