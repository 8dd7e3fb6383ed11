// proj_agreements: one row per agreement with its parties and phases (phase starts included).
import type { AgreementEvent, AgreementRegistered, AgreementState } from '@app/domain';
import { evolveAgreement, initialAgreementState } from '@app/domain';
import type { PoolClient } from 'pg';
import { foldBatch, readStoredStates } from '../fold';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';

export const agreementsProjection: Projection = {
  name: 'agreements',
  version: 1,
  tables: ['proj_agreements'],
  handledEventTypes: ['AgreementRegistered', 'PhaseStarted'],
  async apply(events, client: PoolClient) {
    const projected = asDomainEvents(events);
    const ids = [...new Set(projected.map((e) => e.event.data.agreementId))];
    const stored = await readStoredStates<AgreementState>(
      client,
      { name: 'proj_agreements', idColumn: 'agreement_id' },
      ids,
      true,
    );
    const folded = foldBatch<AgreementState, AgreementEvent>(
      projected,
      (e) => e.data.agreementId,
      stored,
      initialAgreementState,
      evolveAgreement,
    );
    const registrations = new Map(
      projected
        .filter((e) => e.event.type === 'AgreementRegistered')
        .map((e) => [e.event.data.agreementId, (e.event as AgreementRegistered).data]),
    );
    const records = [];
    for (const [id, f] of folded) {
      if (!f.changed || f.state.stage !== 'registered') continue;
      const a = f.state;
      const registration = registrations.get(id);
      records.push({
        agreement_id: a.id,
        title: a.title,
        effective_at: a.effectiveAt,
        signed_at: a.signedAt,
        parties: a.parties,
        phases: a.phases,
        sources: registration?.sources ?? [],
        registered_at: registration?.registeredAt ?? f.lastRecordedAt?.toISOString(),
        updated_at: f.lastRecordedAt?.toISOString(),
        record: a,
        stream_version: f.streamVersion,
      });
    }
    if (records.length === 0) return;
    // The registration is a stream's first event, so sources and registered_at come with the insert.
    await client.query(
      `INSERT INTO proj_agreements (agreement_id, title, effective_at, signed_at, parties, phases,
                                    sources, registered_at, updated_at, record, stream_version)
       SELECT r.agreement_id, r.title, r.effective_at, r.signed_at, r.parties, r.phases, r.sources,
              r.registered_at, r.updated_at, r.record, r.stream_version
         FROM jsonb_to_recordset($1::jsonb) AS r(agreement_id text, title text,
              effective_at timestamptz, signed_at timestamptz, parties jsonb, phases jsonb,
              sources jsonb, registered_at timestamptz, updated_at timestamptz, record jsonb,
              stream_version integer)
       ON CONFLICT (agreement_id) DO UPDATE SET
         title = EXCLUDED.title, effective_at = EXCLUDED.effective_at,
         signed_at = EXCLUDED.signed_at, parties = EXCLUDED.parties, phases = EXCLUDED.phases,
         updated_at = EXCLUDED.updated_at, record = EXCLUDED.record,
         stream_version = EXCLUDED.stream_version`,
      [JSON.stringify(records)],
    );
  },
};
