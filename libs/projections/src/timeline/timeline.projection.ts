// proj_timeline: every event of an agreement (its own, its obligations', violations' and tallies')
// in feed order, as a human account: a sentence saying who recorded what on which source, the
// recorder, the sources, the subject, and the earlier entry a correction or answer refers to.
import { DOMAIN_EVENT_TYPES } from '@app/domain';
import { copyRows } from '@app/shared/database/copy-rows';
import type { PoolClient } from 'pg';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';
import { EarlierEntries } from './earlier-entries';
import { recorderOf } from './timeline-recorder';
import { citedSources } from './timeline-sources';
import { subjectOf } from './timeline-subject';
import { summarise } from './timeline-summary';

const TIMELINE_COLUMNS = [
  'agreement_id',
  'position',
  'transaction_id',
  'recorded_at',
  'occurred_at',
  'type',
  'stream_id',
  'stream_version',
  'summary',
  'recorded_by',
  'sources',
  'subject',
  'corrects',
] as const;

export const timelineProjection: Projection = {
  name: 'timeline',
  // 2: stream version, recorder, sources, subject and corrects columns; sentences name the
  // sources and figures.
  version: 2,
  tables: ['proj_timeline'],
  handledEventTypes: DOMAIN_EVENT_TYPES,
  async apply(events, client: PoolClient) {
    const batch = asDomainEvents(events);
    if (batch.length === 0) return;
    const earlier = await EarlierEntries.load(client, batch);
    const rows = batch.map(({ event, stored }) => {
      const subject = subjectOf(event, earlier.streamTitle(stored));
      const recorder = recorderOf(stored.metadata);
      const corrects = earlier.corrected(event.type, stored);
      earlier.record(stored, subject.title);
      return {
        agreement_id: event.data.agreementId,
        position: stored.position,
        transaction_id: stored.transactionId,
        recorded_at: stored.recordedAt,
        occurred_at: stored.occurredAt,
        type: stored.type,
        stream_id: stored.streamId,
        stream_version: stored.streamVersion,
        summary: summarise(event, recorder, subject),
        recorded_by: recorder,
        sources: citedSources(event),
        subject,
        corrects,
      };
    });
    // Feed order is the insertion order (COPY keeps row order), so seq follows it; a position
    // seen before is left out.
    const { rows: seen } = await client.query<{ position: string }>(
      'SELECT position::text FROM proj_timeline WHERE position = ANY ($1::bigint[])',
      [rows.map((r) => r.position)],
    );
    const skip = new Set(seen.map((r) => Number(r.position)));
    await copyRows(
      client,
      'proj_timeline',
      TIMELINE_COLUMNS,
      rows.filter((r) => !skip.has(r.position)).map((r) => TIMELINE_COLUMNS.map((c) => r[c])),
    );
  },
};
