// proj_obligations: each obligation's folded record, its status at projection time, the deadline
// and the next moment its status can change without a new event (for the status sweep).
import type { AgreementEvent, AgreementState, ObligationEvent, ObligationState } from '@app/domain';
import {
  evolveAgreement,
  evolveObligation,
  initialObligationState,
  OBLIGATION_EVENT_SCHEMA_VERSIONS,
} from '@app/domain';
import type { ObligationEventType } from '@app/domain';
import type { PoolClient } from 'pg';
import { foldBatch, readStoredStates } from '../fold';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';
import type { ObligationOverride } from './obligation-rows';
import { lockAgreementAnchors, recomputeAgreements } from './obligation-rows';

const OBLIGATION_EVENT_TYPES = Object.keys(
  OBLIGATION_EVENT_SCHEMA_VERSIONS,
) as ObligationEventType[];

export const obligationsProjection: Projection = {
  name: 'obligations',
  // 2: rate obligations are never pending/blocked, count only windows in force throughout, and
  // have a first deadline without a registered one; a verdict settles or reopens by the order
  // verdicts were recorded, not their occurredAt (the stored statuses and windows changed).
  version: 2,
  tables: ['proj_obligation_anchors', 'proj_obligations'],
  handledEventTypes: ['AgreementRegistered', 'PhaseStarted', ...OBLIGATION_EVENT_TYPES],
  async apply(events, client: PoolClient, now: Date) {
    const projected = asDomainEvents(events);
    const agreementIds = [...new Set(projected.map((e) => e.event.data.agreementId))].sort();
    const recordedAt = new Map<string, Date>();
    for (const { event, stored } of projected)
      recordedAt.set(event.data.agreementId, stored.recordedAt);

    const anchors = await lockAgreementAnchors(client, agreementIds);

    // Anchors: the agreement stream folded (effective time and phase starts).
    const agreementEvents = projected.filter((e) => e.stored.streamType === 'agreement');
    const foldedAgreements = foldBatch<AgreementState, AgreementEvent>(
      agreementEvents,
      (e) => e.data.agreementId,
      new Map(
        [...anchors].map(([id, a]) => [id, { state: a.agreement, streamVersion: a.streamVersion }]),
      ),
      () => ({ stage: 'initial' }),
      evolveAgreement,
    );
    const anchorWrites = [...foldedAgreements]
      .filter(([, f]) => f.changed)
      .map(([id, f]) => {
        anchors.set(id, { agreement: f.state, streamVersion: f.streamVersion });
        return { agreement_id: id, agreement: f.state, stream_version: f.streamVersion };
      });
    if (anchorWrites.length > 0) {
      await client.query(
        `UPDATE proj_obligation_anchors a SET agreement = r.agreement, stream_version = r.stream_version
           FROM jsonb_to_recordset($1::jsonb) AS r(agreement_id text, agreement jsonb, stream_version integer)
          WHERE a.agreement_id = r.agreement_id`,
        [JSON.stringify(anchorWrites)],
      );
    }

    // Obligations: fold the new events onto the stored records.
    const obligationEvents = projected.filter((e) => e.stored.streamType === 'obligation');
    const obligationIds = [
      ...new Set(obligationEvents.map((e) => (e.event as ObligationEvent).data.obligationId)),
    ];
    // No row locks: the agreement anchors locked above guard their obligations.
    const stored = await readStoredStates<ObligationState>(
      client,
      { name: 'proj_obligations', idColumn: 'obligation_id' },
      obligationIds,
      false,
    );
    const folded = foldBatch<ObligationState, ObligationEvent>(
      obligationEvents,
      (e) => e.data.obligationId,
      stored,
      initialObligationState,
      evolveObligation,
    );
    const overrides = new Map<string, ObligationOverride>();
    for (const [id, f] of folded) {
      if (f.changed && f.state.stage === 'registered') {
        overrides.set(id, { record: f.state, streamVersion: f.streamVersion });
      }
    }
    if (overrides.size === 0 && anchorWrites.length === 0) return;
    await recomputeAgreements(client, anchors, now, overrides, { recordedAt });
  },
};
