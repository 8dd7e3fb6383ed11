// proj_timeline: every event of an agreement (its own, its obligations', violations' and tallies')
// in feed order, with a sentence saying who recorded what on which source.
import { DOMAIN_EVENT_TYPES } from '@app/domain';
import type { PoolClient } from 'pg';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';
import { summarise } from './timeline-summary';

export const timelineProjection: Projection = {
  name: 'timeline',
  version: 1,
  tables: ['proj_timeline'],
  handledEventTypes: DOMAIN_EVENT_TYPES,
  async apply(events, client: PoolClient) {
    const rows = asDomainEvents(events).map(({ event, stored }) => ({
      agreement_id: event.data.agreementId,
      position: stored.position,
      transaction_id: stored.transactionId,
      recorded_at: stored.recordedAt,
      occurred_at: stored.occurredAt,
      type: stored.type,
      stream_id: stored.streamId,
      summary: summarise(event, stored.metadata),
    }));
    if (rows.length === 0) return;
    // Feed order is the insertion order, so seq follows it; a position seen before is skipped.
    await client.query(
      `INSERT INTO proj_timeline (agreement_id, position, transaction_id, recorded_at, occurred_at,
          type, stream_id, summary)
       SELECT r.agreement_id, r.position, r.transaction_id::xid8, r.recorded_at, r.occurred_at,
          r.type, r.stream_id, r.summary
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (agreement_id text, position bigint,
          transaction_id text, recorded_at timestamptz, occurred_at timestamptz, type text,
          stream_id text, summary text)) WITH ORDINALITY AS r(agreement_id, position,
          transaction_id, recorded_at, occurred_at, type, stream_id, summary, ord)
        ORDER BY r.ord
       ON CONFLICT (position) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  },
};
