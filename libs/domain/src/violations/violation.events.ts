import type { Source } from '../shared/source';

export const VIOLATION_CATEGORIES = [
  'airstrike',
  'shelling',
  'shooting',
  'incursion',
  'demolition',
  'detention',
  'aid_obstruction',
  'rocket_fire',
  'attack_on_forces',
  'other',
] as const;
export type ViolationCategory = (typeof VIOLATION_CATEGORIES)[number];

export const LOCATION_PRECISIONS = ['exact', 'approximate', 'region'] as const;
export type LocationPrecision = (typeof LOCATION_PRECISIONS)[number];

export interface ViolationLocation {
  readonly name: string;
  readonly lat?: number;
  readonly lon?: number;
  readonly precision: LocationPrecision;
}

export interface Casualties {
  readonly killed: number;
  readonly injured: number;
}

/** The key that reported a violation: the only one (besides an admin) that may retract it. */
export interface Reporter {
  readonly keyId: string;
  readonly name: string;
}

export type ViolationReported = {
  readonly type: 'ViolationReported';
  readonly data: {
    readonly violationId: string;
    readonly agreementId: string;
    readonly occurredAt: string;
    readonly location: ViolationLocation;
    readonly category: ViolationCategory;
    readonly allegedPartyId: string;
    readonly description: string;
    readonly casualties: Casualties;
    readonly sources: readonly Source[];
    readonly relatedObligationIds: readonly string[];
    readonly reportedBy: Reporter;
    readonly recordedAt: string;
  };
};

export type ViolationSourceAdded = {
  readonly type: 'ViolationSourceAdded';
  readonly data: {
    readonly violationId: string;
    readonly agreementId: string;
    readonly source: Source;
    readonly recordedAt: string;
  };
};

/** Replaces the figures; the previous ones stay in history. */
export type CasualtiesRevised = {
  readonly type: 'CasualtiesRevised';
  readonly data: {
    readonly violationId: string;
    readonly agreementId: string;
    readonly killed: number;
    readonly injured: number;
    readonly previous: Casualties;
    readonly reason: string;
    readonly source: Source;
    readonly recordedAt: string;
  };
};

export type ViolationDisputed = {
  readonly type: 'ViolationDisputed';
  readonly data: {
    readonly violationId: string;
    readonly agreementId: string;
    readonly partyId: string;
    readonly statement: string;
    readonly source: Source | null;
    readonly recordedAt: string;
  };
};

export interface ViolationVerificationData {
  readonly violationId: string;
  readonly agreementId: string;
  readonly note: string;
  readonly recordedAt: string;
}

export type ViolationConfirmed = {
  readonly type: 'ViolationConfirmed';
  readonly data: ViolationVerificationData;
};
export type ViolationDiscounted = {
  readonly type: 'ViolationDiscounted';
  readonly data: ViolationVerificationData;
};

export type ViolationRetracted = {
  readonly type: 'ViolationRetracted';
  readonly data: {
    readonly violationId: string;
    readonly agreementId: string;
    readonly reason: string;
    readonly recordedAt: string;
  };
};

export type ViolationEvent =
  | ViolationReported
  | ViolationSourceAdded
  | CasualtiesRevised
  | ViolationDisputed
  | ViolationConfirmed
  | ViolationDiscounted
  | ViolationRetracted;
export type ViolationEventType = ViolationEvent['type'];

export const VIOLATION_EVENT_SCHEMA_VERSIONS: Readonly<Record<ViolationEventType, number>> = {
  ViolationReported: 1,
  ViolationSourceAdded: 1,
  CasualtiesRevised: 1,
  ViolationDisputed: 1,
  ViolationConfirmed: 1,
  ViolationDiscounted: 1,
  ViolationRetracted: 1,
};
