// Builders for domain events and contexts, with the October 2025 Gaza agreement as the default data.
import type {
  Actor,
  AgreementFacts,
  AgreementRegistered,
  BreachRecorded,
  DeadlineAmended,
  FulfilmentClaimed,
  FulfilmentDisputed,
  FulfilmentVerified,
  ObligationEvent,
  ObligationRecord,
  ObligationRegistered,
  ObligationResumed,
  ObligationSuspended,
  ObligationWaived,
  PhaseStarted,
  ProgressReported,
  Source,
  ViolationReported,
} from '@app/domain';
import { evolveObligation, initialObligationState } from '@app/domain';

export const actors: Readonly<
  Record<'coordinator' | 'monitor' | 'otherMonitor' | 'verifier' | 'admin', Actor>
> = {
  coordinator: { keyId: 'key-coordinator', name: 'Coordination desk', role: 'coordinator' },
  monitor: { keyId: 'key-monitor', name: 'Field monitor', role: 'monitor' },
  otherMonitor: { keyId: 'key-monitor-2', name: 'Second monitor', role: 'monitor' },
  verifier: { keyId: 'key-verifier', name: 'Verification cell', role: 'verifier' },
  admin: { keyId: 'key-admin', name: 'Administrator', role: 'admin' },
};

export const OCT_2025 = {
  agreementId: 'gaza-2025-10',
  effectiveAt: '2025-10-10T09:00:00.000Z',
  partyIds: ['israel', 'hamas', 'us', 'egypt', 'qatar', 'turkiye'],
  phaseKeys: ['phase-1', 'phase-2'],
} as const;

export const reuters: Source = { name: 'Reuters', kind: 'media' };
export const healthMinistry: Source = { name: 'Gaza Health Ministry', kind: 'official' };
export const unOcha: Source = { name: 'UN OCHA', kind: 'ngo' };

export const oct2025Facts: AgreementFacts = {
  agreementId: OCT_2025.agreementId,
  effectiveAt: OCT_2025.effectiveAt,
  partyIds: [...OCT_2025.partyIds],
  phaseKeys: [...OCT_2025.phaseKeys],
};

export function oct2025Registered(registeredAt = '2025-10-10T10:00:00.000Z'): AgreementRegistered {
  return {
    type: 'AgreementRegistered',
    data: {
      agreementId: OCT_2025.agreementId,
      title: 'Gaza ceasefire (20-point plan)',
      effectiveAt: OCT_2025.effectiveAt,
      signedAt: '2025-10-09T00:00:00.000Z',
      parties: [
        { id: 'israel', name: 'Israel', role: 'signatory' },
        { id: 'hamas', name: 'Hamas', role: 'signatory' },
        { id: 'us', name: 'United States', role: 'guarantor' },
        { id: 'egypt', name: 'Egypt', role: 'guarantor' },
        { id: 'qatar', name: 'Qatar', role: 'guarantor' },
        { id: 'turkiye', name: 'Türkiye', role: 'guarantor' },
      ],
      phases: [
        { key: 'phase-1', title: 'Ceasefire and exchange', startsAt: null },
        { key: 'phase-2', title: 'Disarmament and transition', startsAt: null },
      ],
      sources: [reuters],
      registeredAt,
    },
  };
}

export function phaseStarted(
  phaseKey: string,
  startedAt: string,
  recordedAt = startedAt,
): PhaseStarted {
  return {
    type: 'PhaseStarted',
    data: { agreementId: OCT_2025.agreementId, phaseKey, startedAt, recordedAt },
  };
}

export function obligationRegistered(
  overrides: Partial<ObligationRegistered['data']> = {},
): ObligationRegistered {
  return {
    type: 'ObligationRegistered',
    data: {
      obligationId: 'hostages-living',
      agreementId: OCT_2025.agreementId,
      phaseKey: 'phase-1',
      kind: 'hostage_release',
      title: 'Release all living hostages',
      description: null,
      clause: null,
      responsiblePartyId: 'hamas',
      beneficiaryPartyId: 'israel',
      dueAt: null,
      dueWithin: null,
      target: null,
      conditions: [],
      terms: null,
      sources: [],
      registeredAt: '2025-10-10T10:00:00.000Z',
      ...overrides,
    },
  };
}

/** Common fields of every obligation event after registration. */
const ids = (obligationId: string): { obligationId: string; agreementId: string } => ({
  obligationId,
  agreementId: OCT_2025.agreementId,
});

export function progressReported(
  obligationId: string,
  quantity: number,
  occurredAt: string,
  recordedAt = occurredAt,
): ProgressReported {
  return {
    type: 'ProgressReported',
    data: { ...ids(obligationId), quantity, occurredAt, source: reuters, note: null, recordedAt },
  };
}

export function fulfilmentClaimed(
  obligationId: string,
  occurredAt: string,
  claimedByPartyId = 'hamas',
): FulfilmentClaimed {
  return {
    type: 'FulfilmentClaimed',
    data: {
      ...ids(obligationId),
      claimedByPartyId,
      occurredAt,
      source: reuters,
      note: null,
      recordedAt: occurredAt,
    },
  };
}

type VerdictType = 'FulfilmentVerified' | 'FulfilmentDisputed' | 'BreachRecorded';
type VerdictEvent<T extends VerdictType> = Extract<
  FulfilmentVerified | FulfilmentDisputed | BreachRecorded,
  { type: T }
>;

function verdict<T extends VerdictType>(
  type: T,
  obligationId: string,
  recordedAt: string,
  occurredAt: string | null,
): VerdictEvent<T> {
  return {
    type,
    data: {
      ...ids(obligationId),
      note: `${type} by the verification cell`,
      occurredAt,
      source: null,
      recordedAt,
    },
  } as VerdictEvent<T>;
}

export const fulfilmentVerified = (
  obligationId: string,
  recordedAt: string,
  occurredAt: string | null = null,
) => verdict('FulfilmentVerified', obligationId, recordedAt, occurredAt);
export const fulfilmentDisputed = (
  obligationId: string,
  recordedAt: string,
  occurredAt: string | null = null,
) => verdict('FulfilmentDisputed', obligationId, recordedAt, occurredAt);
export const breachRecorded = (
  obligationId: string,
  recordedAt: string,
  occurredAt: string | null = null,
) => verdict('BreachRecorded', obligationId, recordedAt, occurredAt);

export function deadlineAmended(
  obligationId: string,
  dueAt: string,
  recordedAt: string,
  previousDueAt: string | null = null,
): DeadlineAmended {
  return {
    type: 'DeadlineAmended',
    data: {
      ...ids(obligationId),
      dueAt,
      previousDueAt,
      reason: 'renegotiated',
      source: null,
      recordedAt,
    },
  };
}

function stateChangeData(
  obligationId: string,
  recordedAt: string,
  reason: string,
  citedViolationIds: string[] = [],
) {
  return { ...ids(obligationId), reason, citedViolationIds, recordedAt };
}

export const obligationSuspended = (
  obligationId: string,
  recordedAt: string,
  citedViolationIds: string[] = [],
): ObligationSuspended => ({
  type: 'ObligationSuspended',
  data: stateChangeData(obligationId, recordedAt, 'suspended citing violations', citedViolationIds),
});
export const obligationResumed = (obligationId: string, recordedAt: string): ObligationResumed => ({
  type: 'ObligationResumed',
  data: stateChangeData(obligationId, recordedAt, 'resumed after mediation'),
});
export const obligationWaived = (obligationId: string, recordedAt: string): ObligationWaived => ({
  type: 'ObligationWaived',
  data: stateChangeData(obligationId, recordedAt, 'waived by the parties'),
});

/** Folds obligation events into the record the status rule reads. */
export function obligationFrom(events: readonly ObligationEvent[]): ObligationRecord {
  const state = events.reduce(evolveObligation, initialObligationState());
  if (state.stage !== 'registered') throw new Error('the events do not register an obligation');
  return state;
}

export function violationReported(
  overrides: Partial<ViolationReported['data']> = {},
): ViolationReported {
  return {
    type: 'ViolationReported',
    data: {
      violationId: 'strike-gaza-city-1',
      agreementId: OCT_2025.agreementId,
      occurredAt: '2025-10-20T14:00:00.000Z',
      location: { name: 'Gaza City', precision: 'approximate' },
      category: 'airstrike',
      allegedPartyId: 'israel',
      description: 'Strike on a residential building',
      casualties: { killed: 1, injured: 4 },
      sources: [healthMinistry],
      relatedObligationIds: [],
      reportedBy: { keyId: actors.monitor.keyId, name: actors.monitor.name },
      recordedAt: '2025-10-20T16:00:00.000Z',
      ...overrides,
    },
  };
}
