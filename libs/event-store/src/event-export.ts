// The portable form of stored events: one JSON object per event with everything needed to insert
// it again with the same hash (read by event-import.ts). Events are exported as stored, never
// upcast: the hash covers the stored shape.
import { EVENT_COLUMNS, EventRow, Queryable } from './event-store';

export interface ExportedEvent {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: string | null;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export function toExportedEvent(row: EventRow): ExportedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at ? row.occurred_at.toISOString() : null,
    recordedAt: row.recorded_at.toISOString(),
    prevHash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
  };
}

const EXPORT_PAGE_SQL = `SELECT ${EVENT_COLUMNS} FROM events
  WHERE stream_id = ANY ($1::text[])
    AND (transaction_id, global_position) > ($2::xid8, $3::bigint)
  ORDER BY transaction_id, global_position
  LIMIT $4`;

/**
 * Every event of the given streams in feed order, page by page. Run it inside one REPEATABLE READ
 * transaction so that the pages come from one snapshot.
 */
export async function* readStreamsForExport(
  db: Queryable,
  streamIds: readonly string[],
  pageSize = 1000,
): AsyncGenerator<ExportedEvent[]> {
  let after = { transactionId: '0', position: '0' };
  for (;;) {
    const { rows } = await db.query<EventRow>(EXPORT_PAGE_SQL, [
      streamIds,
      after.transactionId,
      after.position,
      pageSize,
    ]);
    if (rows.length > 0) yield rows.map(toExportedEvent);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { transactionId: last.transaction_id, position: last.global_position };
  }
}
