// proj_timeline: an index of the feed by agreement. Every event of an agreement (its own, its
// obligations', violations' and tallies') gets a row in feed order; the account a reader sees
// (who recorded what, about what, on which source, correcting which earlier entry) is written when
// the page is read, from the events themselves (read/timeline.read.ts). Keeping the sentences out
// of the table keeps this projection about as cheap as copying the feed, which matters for
// rebuilds: it handles every event there is.
import { DOMAIN_EVENT_TYPES } from '@app/domain';
import { copyRows } from '@app/shared/database/copy-rows';
import type { PoolClient } from 'pg';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';

const TIMELINE_COLUMNS = [
  'agreement_id',
  'position',
  'transaction_id',
  'recorded_at',
  'occurred_at',
  'type',
  'stream_id',
] as const;

/**
 * The positions of a batch that already have a row (a batch applied twice). A batch's positions are
 * nearly contiguous (the feed is in commit order, positions are taken in insertion order), so one
 * range scan of the position key finds them: probing 10,000 positions one by one took 70 ms a
 * batch, a fifth of a million-event rebuild's wall time. A batch spread wide (a transaction that
 * committed long after taking its positions) is probed position by position instead, so the range
 * never holds more than twice the batch.
 */
async function projectedPositions(
  client: PoolClient,
  positions: readonly number[],
): Promise<Set<number>> {
  const low = positions.reduce((a, b) => Math.min(a, b));
  const high = positions.reduce((a, b) => Math.max(a, b));
  const { rows } =
    high - low < 2 * positions.length
      ? await client.query<{ position: string }>(
          'SELECT position::text FROM proj_timeline WHERE position BETWEEN $1 AND $2',
          [low, high],
        )
      : await client.query<{ position: string }>(
          'SELECT position::text FROM proj_timeline WHERE position = ANY ($1::bigint[])',
          [positions],
        );
  return new Set(rows.map((r) => Number(r.position)));
}

export const timelineProjection: Projection = {
  name: 'timeline',
  // 2: stream version, recorder, sources, subject and corrects columns; sentences name the
  // sources and figures. 3: an index of the feed; the account is written at read time.
  version: 3,
  tables: ['proj_timeline'],
  handledEventTypes: DOMAIN_EVENT_TYPES,
  async apply(events, client: PoolClient) {
    const batch = asDomainEvents(events);
    if (batch.length === 0) return;
    // Feed order is the insertion order (COPY keeps row order), so seq follows it; a position
    // seen before is left out.
    const skip = await projectedPositions(
      client,
      batch.map(({ stored }) => stored.position),
    );
    await copyRows(
      client,
      'proj_timeline',
      TIMELINE_COLUMNS,
      batch
        .filter(({ stored }) => !skip.has(stored.position))
        .map(({ event, stored }) => [
          event.data.agreementId,
          stored.position,
          stored.transactionId,
          stored.recordedAt,
          stored.occurredAt,
          stored.type,
          stored.streamId,
        ]),
    );
  },
};
