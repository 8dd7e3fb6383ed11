import {
  actors,
  deciderSpec,
  healthMinistry,
  oct2025Facts,
  OCT_2025,
  reuters,
  violationReported,
} from '@app/testing';
import {
  violationDecider,
  type ReportViolation,
  type ViolationContext,
  type ViolationEvent,
} from '@app/domain';
import { DuplicateId, Forbidden, NotFound, RuleViolated } from '../shared/errors';

const now = '2025-10-20T16:00:00.000Z';
const context: ViolationContext = {
  now,
  actor: actors.monitor,
  agreement: oct2025Facts,
  agreementObligationIds: ['hostages-living', 'aid-trucks'],
};
const spec = deciderSpec(violationDecider, context);
const ID = 'strike-gaza-city-1';
const reported = violationReported();
const asVerifier = { ...context, actor: actors.verifier };

const report = (overrides: Partial<ReportViolation['data']> = {}): ReportViolation => ({
  type: 'ReportViolation',
  data: {
    violationId: ID,
    agreementId: OCT_2025.agreementId,
    occurredAt: '2025-10-20T17:00:00+03:00',
    location: { name: 'Gaza City', precision: 'approximate' },
    category: 'airstrike',
    allegedPartyId: 'israel',
    description: 'Strike on a residential building',
    casualties: { killed: 1, injured: 4 },
    sources: [healthMinistry],
    ...overrides,
  },
});

type EventOf<K extends ViolationEvent['type']> = Extract<ViolationEvent, { type: K }>;
const withData = <K extends ViolationEvent['type']>(
  type: K,
  data: Omit<EventOf<K>['data'], 'violationId' | 'agreementId'>,
) =>
  ({
    type,
    data: { violationId: ID, agreementId: OCT_2025.agreementId, ...data },
  }) as unknown as EventOf<K>;

describe('violation decider', () => {
  describe('ReportViolation', () => {
    it('records the report with the reporting key, in UTC', () => {
      spec.given([]).when(report()).then([reported]);
    });

    it('keeps coordinates and the obligations it allegedly breaches', () => {
      spec
        .given([])
        .when(
          report({
            location: { name: 'Rafah', lat: 31.29, lon: 34.25, precision: 'exact' },
            relatedObligationIds: ['aid-trucks'],
            casualties: null,
          }),
        )
        .then([
          violationReported({
            location: { name: 'Rafah', lat: 31.29, lon: 34.25, precision: 'exact' },
            relatedObligationIds: ['aid-trucks'],
            casualties: { killed: 0, injured: 0 },
          }),
        ]);
    });

    it('refuses an id that exists already', () => {
      spec.given([reported]).when(report()).thenThrows(DuplicateId);
    });

    it('refuses an agreement that does not exist', () => {
      spec
        .given([])
        .when(report(), { ...context, agreement: null })
        .thenThrows(RuleViolated, /agreement/);
    });

    it('refuses an alleged party that is not in the agreement', () => {
      spec
        .given([])
        .when(report({ allegedPartyId: 'hezbollah' }))
        .thenThrows(RuleViolated, /hezbollah/);
    });

    it('refuses an incident said to occur after it is recorded', () => {
      spec
        .given([])
        .when(report({ occurredAt: '2025-10-20T16:00:01Z' }))
        .thenThrows(RuleViolated, /after/);
    });

    it('accepts an incident up to one day before the agreement took effect', () => {
      const events = violationDecider.decide(
        report({ occurredAt: '2025-10-09T09:00:00Z' }),
        violationDecider.initialState(),
        context,
      );
      expect(events).toHaveLength(1);
    });

    it('refuses an incident more than one day before the agreement took effect', () => {
      spec
        .given([])
        .when(report({ occurredAt: '2025-10-09T08:59:59Z' }))
        .thenThrows(RuleViolated, /before/);
    });

    it('refuses casualty figures out of range', () => {
      spec
        .given([])
        .when(report({ casualties: { killed: 100_001, injured: 0 } }))
        .thenThrows(RuleViolated, /killed/);
      spec
        .given([])
        .when(report({ casualties: { killed: 0, injured: -1 } }))
        .thenThrows(RuleViolated, /injured/);
    });

    it('refuses a report without a source', () => {
      spec
        .given([])
        .when(report({ sources: [] }))
        .thenThrows(RuleViolated, /source/);
    });

    it('refuses a related obligation of another agreement', () => {
      spec
        .given([])
        .when(report({ relatedObligationIds: ['philadelphi'] }))
        .thenThrows(RuleViolated, /philadelphi/);
    });
  });

  describe('AddViolationSource', () => {
    const add = {
      type: 'AddViolationSource',
      data: { violationId: ID, source: { ...reuters, independenceGroup: 'reuters-wire' } },
    } as const;

    it('adds a source to the report', () => {
      spec
        .given([reported])
        .when(add)
        .then([
          withData('ViolationSourceAdded', {
            source: { ...reuters, independenceGroup: 'reuters-wire' },
            recordedAt: now,
          }),
        ]);
    });

    it('answers not found for an unknown report', () => {
      spec.given([]).when(add).thenThrows(NotFound);
    });

    it('refuses to add to a retracted report', () => {
      spec
        .given([reported, withData('ViolationRetracted', { reason: 'duplicate', recordedAt: now })])
        .when(add)
        .thenThrows(RuleViolated, /retracted/);
    });
  });

  describe('ReviseCasualties', () => {
    const revise = (killed = 5, injured = 12) =>
      ({
        type: 'ReviseCasualties',
        data: {
          violationId: ID,
          killed,
          injured,
          reason: 'hospital update',
          source: healthMinistry,
        },
      }) as const;

    it('replaces the figures and keeps the previous ones in the event', () => {
      spec
        .given([reported])
        .when(revise())
        .then([
          withData('CasualtiesRevised', {
            killed: 5,
            injured: 12,
            previous: { killed: 1, injured: 4 },
            reason: 'hospital update',
            source: healthMinistry,
            recordedAt: now,
          }),
        ]);
    });

    it('answers not found for an unknown report', () => {
      spec.given([]).when(revise()).thenThrows(NotFound);
    });

    it('refuses figures out of range', () => {
      spec.given([reported]).when(revise(-1)).thenThrows(RuleViolated);
      spec.given([reported]).when(revise(1, 2.5)).thenThrows(RuleViolated);
    });

    it('refuses to revise a retracted report', () => {
      spec
        .given([reported, withData('ViolationRetracted', { reason: 'duplicate', recordedAt: now })])
        .when(revise())
        .thenThrows(RuleViolated);
    });
  });

  describe('DisputeViolation', () => {
    const dispute = (partyId = 'israel') =>
      ({
        type: 'DisputeViolation',
        data: { violationId: ID, partyId, statement: 'The target was a militant cell' },
      }) as const;

    it('records the accused party’s dispute', () => {
      spec
        .given([reported])
        .when(dispute(), asVerifier)
        .then([
          withData('ViolationDisputed', {
            partyId: 'israel',
            statement: 'The target was a militant cell',
            source: null,
            recordedAt: now,
          }),
        ]);
    });

    it('answers not found for an unknown report', () => {
      spec.given([]).when(dispute(), asVerifier).thenThrows(NotFound);
    });

    it('refuses a disputing party that is not in the agreement', () => {
      spec
        .given([reported])
        .when(dispute('idf-spokesman'), asVerifier)
        .thenThrows(RuleViolated, /idf-spokesman/);
    });

    it('refuses to dispute a retracted report', () => {
      spec
        .given([reported, withData('ViolationRetracted', { reason: 'duplicate', recordedAt: now })])
        .when(dispute(), asVerifier)
        .thenThrows(RuleViolated);
    });
  });

  describe('VerifyViolation', () => {
    const verify = (outcome: 'confirmed' | 'discounted') =>
      ({
        type: 'VerifyViolation',
        data: { violationId: ID, outcome, note: 'imagery reviewed' },
      }) as const;

    it('confirms a report', () => {
      spec
        .given([reported])
        .when(verify('confirmed'), asVerifier)
        .then([withData('ViolationConfirmed', { note: 'imagery reviewed', recordedAt: now })]);
    });

    it('discounts a report', () => {
      spec
        .given([reported])
        .when(verify('discounted'), asVerifier)
        .then([withData('ViolationDiscounted', { note: 'imagery reviewed', recordedAt: now })]);
    });

    it('answers not found for an unknown report', () => {
      spec.given([]).when(verify('confirmed'), asVerifier).thenThrows(NotFound);
    });

    it('refuses to verify a retracted report', () => {
      spec
        .given([reported, withData('ViolationRetracted', { reason: 'duplicate', recordedAt: now })])
        .when(verify('confirmed'), asVerifier)
        .thenThrows(RuleViolated);
    });
  });

  describe('RetractViolation', () => {
    const retract = {
      type: 'RetractViolation',
      data: { violationId: ID, reason: 'duplicate of another report' },
    } as const;
    const retracted = withData('ViolationRetracted', {
      reason: 'duplicate of another report',
      recordedAt: now,
    });

    it('the key that reported it can retract it', () => {
      spec.given([reported]).when(retract).then([retracted]);
    });

    it('an admin can retract anybody’s report', () => {
      spec
        .given([reported])
        .when(retract, { ...context, actor: actors.admin })
        .then([retracted]);
    });

    it('another monitor cannot retract it', () => {
      spec
        .given([reported])
        .when(retract, { ...context, actor: actors.otherMonitor })
        .thenThrows(Forbidden);
    });

    it('retracting a retracted report is refused', () => {
      spec
        .given([reported, retracted])
        .when(retract)
        .thenThrows(RuleViolated, /retracted/);
    });

    it('answers not found for an unknown report', () => {
      spec.given([]).when(retract).thenThrows(NotFound);
    });
  });

  it('folds revisions, disputes and verdicts into the current state', () => {
    const state = [
      reported,
      withData('CasualtiesRevised', {
        killed: 5,
        injured: 12,
        previous: { killed: 1, injured: 4 },
        reason: 'update',
        source: healthMinistry,
        recordedAt: now,
      }),
      withData('ViolationDisputed', {
        partyId: 'israel',
        statement: 'no',
        source: null,
        recordedAt: now,
      }),
      withData('ViolationConfirmed', { note: 'ok', recordedAt: now }),
    ].reduce(violationDecider.evolve, violationDecider.initialState());
    expect(state).toMatchObject({
      stage: 'reported',
      casualties: { killed: 5, injured: 12 },
      casualtyRevisions: [{ killed: 5, injured: 12, reason: 'update' }],
      disputes: [{ partyId: 'israel' }],
      verifications: [{ outcome: 'confirmed', note: 'ok' }],
      retraction: null,
      reportedBy: { keyId: actors.monitor.keyId, name: actors.monitor.name },
    });
  });
});
