import type { Source } from '../shared/source';

export const PARTY_ROLES = ['signatory', 'mediator', 'guarantor', 'monitor'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export interface Party {
  readonly id: string;
  readonly name: string;
  readonly role: PartyRole;
}

export interface PhaseDefinition {
  readonly key: string;
  readonly title: string;
  /** The planned start, if the text gives one; the actual start comes with PhaseStarted. */
  readonly startsAt: string | null;
}

export type AgreementRegistered = {
  readonly type: 'AgreementRegistered';
  readonly data: {
    readonly agreementId: string;
    readonly title: string;
    readonly effectiveAt: string;
    readonly signedAt: string | null;
    readonly parties: readonly Party[];
    readonly phases: readonly PhaseDefinition[];
    readonly sources: readonly Source[];
    readonly registeredAt: string;
  };
};

export type PhaseStarted = {
  readonly type: 'PhaseStarted';
  readonly data: {
    readonly agreementId: string;
    readonly phaseKey: string;
    readonly startedAt: string;
    readonly recordedAt: string;
  };
};

/** A cumulative figure from one source as of a date; never to be added to incident reports. */
export type CasualtyTallyRecorded = {
  readonly type: 'CasualtyTallyRecorded';
  readonly data: {
    readonly agreementId: string;
    readonly tallyId: string;
    readonly source: Source;
    readonly asOf: string;
    readonly killed: number;
    readonly injured: number;
    readonly attributedToPartyId: string | null;
    readonly note: string | null;
    readonly recordedAt: string;
  };
};

export type AgreementEvent = AgreementRegistered | PhaseStarted | CasualtyTallyRecorded;
export type AgreementEventType = AgreementEvent['type'];

export const AGREEMENT_EVENT_SCHEMA_VERSIONS: Readonly<Record<AgreementEventType, number>> = {
  AgreementRegistered: 1,
  PhaseStarted: 1,
  CasualtyTallyRecorded: 1,
};
