import type { JsonObject } from '../shared/decider';
import type { Source } from '../shared/source';
import type { DueWithin, ObligationKind, Target } from './obligation.events';

export type RegisterObligation = {
  readonly type: 'RegisterObligation';
  readonly data: {
    readonly obligationId: string;
    readonly agreementId: string;
    readonly phaseKey: string;
    readonly kind: ObligationKind;
    readonly title: string;
    readonly description?: string | null;
    readonly clause?: string | null;
    readonly responsiblePartyId: string;
    readonly beneficiaryPartyId?: string | null;
    readonly dueAt?: string | null;
    readonly dueWithin?: DueWithin | null;
    readonly target?: Target | null;
    readonly conditions?: readonly string[];
    readonly terms?: JsonObject | null;
    readonly sources?: readonly Source[];
  };
};

export type ReportProgress = {
  readonly type: 'ReportProgress';
  readonly data: {
    readonly obligationId: string;
    readonly quantity: number;
    readonly occurredAt: string;
    readonly source: Source;
    readonly note?: string | null;
  };
};

export type ClaimFulfilment = {
  readonly type: 'ClaimFulfilment';
  readonly data: {
    readonly obligationId: string;
    readonly claimedByPartyId: string;
    readonly occurredAt: string;
    readonly source: Source;
    readonly note?: string | null;
  };
};

export const OBLIGATION_VERIFICATION_OUTCOMES = ['verified', 'disputed', 'breached'] as const;
export type ObligationVerificationOutcome = (typeof OBLIGATION_VERIFICATION_OUTCOMES)[number];

/** POST /v1/obligations/:id/verification - one command, one event per outcome. */
export type VerifyObligation = {
  readonly type: 'VerifyObligation';
  readonly data: {
    readonly obligationId: string;
    readonly outcome: ObligationVerificationOutcome;
    readonly note: string;
    readonly occurredAt?: string | null;
    readonly source?: Source | null;
  };
};

export type AmendDeadline = {
  readonly type: 'AmendDeadline';
  readonly data: {
    readonly obligationId: string;
    readonly dueAt: string;
    readonly reason: string;
    readonly source?: Source | null;
  };
};

export const OBLIGATION_STATE_ACTIONS = ['suspend', 'resume', 'waive'] as const;
export type ObligationStateAction = (typeof OBLIGATION_STATE_ACTIONS)[number];

/** POST /v1/obligations/:id/state. */
export type ChangeObligationState = {
  readonly type: 'ChangeObligationState';
  readonly data: {
    readonly obligationId: string;
    readonly action: ObligationStateAction;
    readonly reason: string;
    readonly citedViolationIds?: readonly string[];
  };
};

export type ObligationCommand =
  | RegisterObligation
  | ReportProgress
  | ClaimFulfilment
  | VerifyObligation
  | AmendDeadline
  | ChangeObligationState;
