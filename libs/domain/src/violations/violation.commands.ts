import type { Source } from '../shared/source';
import type { Casualties, ViolationCategory, ViolationLocation } from './violation.events';

export type ReportViolation = {
  readonly type: 'ReportViolation';
  readonly data: {
    readonly violationId: string;
    readonly agreementId: string;
    readonly occurredAt: string;
    readonly location: ViolationLocation;
    readonly category: ViolationCategory;
    readonly allegedPartyId: string;
    readonly description: string;
    readonly casualties?: Casualties | null;
    readonly sources: readonly Source[];
    readonly relatedObligationIds?: readonly string[];
  };
};

export type AddViolationSource = {
  readonly type: 'AddViolationSource';
  readonly data: { readonly violationId: string; readonly source: Source };
};

export type ReviseCasualties = {
  readonly type: 'ReviseCasualties';
  readonly data: {
    readonly violationId: string;
    readonly killed: number;
    readonly injured: number;
    readonly reason: string;
    readonly source: Source;
  };
};

export type DisputeViolation = {
  readonly type: 'DisputeViolation';
  readonly data: {
    readonly violationId: string;
    readonly partyId: string;
    readonly statement: string;
    readonly source?: Source | null;
  };
};

export const VIOLATION_VERIFICATION_OUTCOMES = ['confirmed', 'discounted'] as const;
export type ViolationVerificationOutcome = (typeof VIOLATION_VERIFICATION_OUTCOMES)[number];

export type VerifyViolation = {
  readonly type: 'VerifyViolation';
  readonly data: {
    readonly violationId: string;
    readonly outcome: ViolationVerificationOutcome;
    readonly note: string;
  };
};

export type RetractViolation = {
  readonly type: 'RetractViolation';
  readonly data: { readonly violationId: string; readonly reason: string };
};

export type ViolationCommand =
  | ReportViolation
  | AddViolationSource
  | ReviseCasualties
  | DisputeViolation
  | VerifyViolation
  | RetractViolation;
