// proj_casualty_tallies: cumulative figures from one source as of a date; never added to incident
// reports.
import type { CasualtyTallyRecorded } from '@app/domain';
import type { PoolClient } from 'pg';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';

export const casualtyTalliesProjection: Projection = {
  name: 'casualty-tallies',
  version: 1,
  tables: ['proj_casualty_tallies'],
  handledEventTypes: ['CasualtyTallyRecorded'],
  async apply(events, client: PoolClient) {
    const rows = asDomainEvents(events).map(({ event }) => {
      const d = (event as CasualtyTallyRecorded).data;
      return {
        tally_id: d.tallyId,
        agreement_id: d.agreementId,
        source: d.source,
        source_name: d.source.name,
        as_of: d.asOf,
        killed: d.killed,
        injured: d.injured,
        attributed_to_party_id: d.attributedToPartyId,
        note: d.note,
        recorded_at: d.recordedAt,
      };
    });
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO proj_casualty_tallies (tally_id, agreement_id, source, source_name, as_of, killed,
          injured, attributed_to_party_id, note, recorded_at)
       SELECT r.tally_id, r.agreement_id, r.source, r.source_name, r.as_of, r.killed, r.injured,
          r.attributed_to_party_id, r.note, r.recorded_at
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (tally_id text, agreement_id text,
          source jsonb, source_name text, as_of timestamptz, killed integer, injured integer,
          attributed_to_party_id text, note text, recorded_at timestamptz))
          WITH ORDINALITY AS r(tally_id, agreement_id, source, source_name, as_of, killed, injured,
          attributed_to_party_id, note, recorded_at, ord)
        ORDER BY r.ord
       ON CONFLICT (tally_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  },
};
