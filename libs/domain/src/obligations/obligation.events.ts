import type { JsonObject } from '../shared/decider';
import type { Source } from '../shared/source';

export const OBLIGATION_KINDS = [
  'cessation_of_hostilities',
  'hostage_release',
  'prisoner_release',
  'remains_return',
  'withdrawal',
  'crossing_reopening',
  'aid_access',
  'disarmament',
  'stabilization_force',
  'governance_transfer',
  'reconstruction',
  'other',
] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export const DEADLINE_ANCHORS = ['agreement_effective', 'phase_start', 'conditions_met'] as const;
export type DeadlineAnchor = (typeof DEADLINE_ANCHORS)[number];

/** A deadline relative to an anchor: "within 72 hours of the ceasefire taking effect". */
export interface DueWithin {
  readonly hours: number;
  readonly after: DeadlineAnchor;
}

export const RATE_PERIODS = ['day', 'week'] as const;
export type RatePeriod = (typeof RATE_PERIODS)[number];

/** A quantity to deliver once, or, with `per`, a rate judged window by window. */
export interface Target {
  readonly quantity: number;
  readonly unit: string;
  readonly per?: RatePeriod;
}

export type ObligationRegistered = {
  readonly type: 'ObligationRegistered';
  readonly data: {
    readonly obligationId: string;
    readonly agreementId: string;
    readonly phaseKey: string;
    readonly kind: ObligationKind;
    readonly title: string;
    readonly description: string | null;
    readonly clause: string | null;
    readonly responsiblePartyId: string;
    readonly beneficiaryPartyId: string | null;
    /** Absolute deadline, if the text gives a date. */
    readonly dueAt: string | null;
    readonly dueWithin: DueWithin | null;
    readonly target: Target | null;
    readonly conditions: readonly string[];
    readonly terms: JsonObject | null;
    readonly sources: readonly Source[];
    readonly registeredAt: string;
  };
};

/** "N more units delivered" - quantity is the increment, not a running total. */
export type ProgressReported = {
  readonly type: 'ProgressReported';
  readonly data: {
    readonly obligationId: string;
    readonly agreementId: string;
    readonly quantity: number;
    readonly occurredAt: string;
    readonly source: Source;
    readonly note: string | null;
    readonly recordedAt: string;
  };
};

export type FulfilmentClaimed = {
  readonly type: 'FulfilmentClaimed';
  readonly data: {
    readonly obligationId: string;
    readonly agreementId: string;
    readonly claimedByPartyId: string;
    readonly occurredAt: string;
    readonly source: Source;
    readonly note: string | null;
    readonly recordedAt: string;
  };
};

/** Shared shape of a verifier's word on an obligation. `occurredAt` null: it holds from `recordedAt`. */
export interface VerificationData {
  readonly obligationId: string;
  readonly agreementId: string;
  readonly note: string;
  readonly occurredAt: string | null;
  readonly source: Source | null;
  readonly recordedAt: string;
}

export type FulfilmentVerified = {
  readonly type: 'FulfilmentVerified';
  readonly data: VerificationData;
};
export type FulfilmentDisputed = {
  readonly type: 'FulfilmentDisputed';
  readonly data: VerificationData;
};
export type BreachRecorded = { readonly type: 'BreachRecorded'; readonly data: VerificationData };

export type DeadlineAmended = {
  readonly type: 'DeadlineAmended';
  readonly data: {
    readonly obligationId: string;
    readonly agreementId: string;
    readonly dueAt: string;
    /** The absolute deadline this one replaces (null when the previous one was relative or absent). */
    readonly previousDueAt: string | null;
    readonly reason: string;
    readonly source: Source | null;
    readonly recordedAt: string;
  };
};

export interface ObligationStateChangeData {
  readonly obligationId: string;
  readonly agreementId: string;
  readonly reason: string;
  /** Violations the acting party cites (a party suspending because of the other side's violations). */
  readonly citedViolationIds: readonly string[];
  readonly recordedAt: string;
}

export type ObligationSuspended = {
  readonly type: 'ObligationSuspended';
  readonly data: ObligationStateChangeData;
};
export type ObligationResumed = {
  readonly type: 'ObligationResumed';
  readonly data: ObligationStateChangeData;
};
export type ObligationWaived = {
  readonly type: 'ObligationWaived';
  readonly data: ObligationStateChangeData;
};

export type ObligationEvent =
  | ObligationRegistered
  | ProgressReported
  | FulfilmentClaimed
  | FulfilmentVerified
  | FulfilmentDisputed
  | BreachRecorded
  | DeadlineAmended
  | ObligationSuspended
  | ObligationResumed
  | ObligationWaived;
export type ObligationEventType = ObligationEvent['type'];

export const OBLIGATION_EVENT_SCHEMA_VERSIONS: Readonly<Record<ObligationEventType, number>> = {
  ObligationRegistered: 1,
  ProgressReported: 1,
  FulfilmentClaimed: 1,
  FulfilmentVerified: 1,
  FulfilmentDisputed: 1,
  BreachRecorded: 1,
  DeadlineAmended: 1,
  ObligationSuspended: 1,
  ObligationResumed: 1,
  ObligationWaived: 1,
};
