// The shape of the demo data: request bodies of the public write API (API.md), one agreement's
// registration and then its writes in the order they are sent. Each write has a key that is
// unique within its agreement; it makes the request's Idempotency-Key, so a second run of the
// seeder is answered from the first run's records and writes nothing.
import type {
  DeadlineAnchor,
  JsonObject,
  LocationPrecision,
  ObligationKind,
  ObligationStateAction,
  ObligationVerificationOutcome,
  PartyRole,
  RatePeriod,
  Source,
  ViolationCategory,
} from '@app/domain';

export interface AgreementBody {
  id: string;
  title: string;
  effectiveAt: string;
  signedAt?: string;
  parties: Array<{ id: string; name: string; role: PartyRole }>;
  phases: Array<{ key: string; title: string; startsAt?: string }>;
  sources: Source[];
}

export interface ObligationBody {
  id: string;
  phaseKey: string;
  kind: ObligationKind;
  title: string;
  description?: string;
  clause?: string;
  responsiblePartyId: string;
  beneficiaryPartyId?: string;
  dueAt?: string;
  dueWithin?: { hours: number; after: DeadlineAnchor };
  target?: { quantity: number; unit: string; per?: RatePeriod };
  conditions?: string[];
  terms?: JsonObject;
  sources: Source[];
}

export interface ViolationBody {
  id: string;
  occurredAt: string;
  location: { name: string; lat?: number; lon?: number; precision: LocationPrecision };
  category: ViolationCategory;
  allegedPartyId: string;
  description: string;
  casualties?: { killed: number; injured: number };
  sources: Source[];
  relatedObligationIds?: string[];
}

export type DemoStep = { key: string } & (
  | { action: 'start-phase'; phaseKey: string; body: { startedAt: string } }
  | { action: 'register-obligation'; body: ObligationBody }
  | {
      action: 'report-progress';
      obligationId: string;
      body: { quantity: number; occurredAt: string; source: Source; note?: string };
    }
  | {
      action: 'verify-obligation';
      obligationId: string;
      body: {
        outcome: ObligationVerificationOutcome;
        note: string;
        occurredAt?: string;
        source?: Source;
      };
    }
  | {
      action: 'change-obligation-state';
      obligationId: string;
      body: { action: ObligationStateAction; reason: string; citedViolationIds?: string[] };
    }
  | { action: 'report-violation'; body: ViolationBody }
  | {
      action: 'dispute-violation';
      violationId: string;
      body: { partyId: string; statement: string; source?: Source };
    }
  | {
      action: 'record-casualty-tally';
      body: {
        source: Source;
        asOf: string;
        killed: number;
        injured: number;
        attributedToPartyId?: string;
        note?: string;
      };
    }
);

export interface DemoAgreement {
  agreement: AgreementBody;
  steps: DemoStep[];
}

/** The HTTP request a step becomes (every write is a POST). */
export function requestOf(agreementId: string, step: DemoStep): { path: string; body: object } {
  switch (step.action) {
    case 'start-phase':
      return {
        path: `/v1/agreements/${agreementId}/phases/${step.phaseKey}/start`,
        body: step.body,
      };
    case 'register-obligation':
      return { path: `/v1/agreements/${agreementId}/obligations`, body: step.body };
    case 'report-progress':
      return { path: `/v1/obligations/${step.obligationId}/progress`, body: step.body };
    case 'verify-obligation':
      return { path: `/v1/obligations/${step.obligationId}/verification`, body: step.body };
    case 'change-obligation-state':
      return { path: `/v1/obligations/${step.obligationId}/state`, body: step.body };
    case 'report-violation':
      return { path: '/v1/violations', body: { agreementId, ...step.body } };
    case 'dispute-violation':
      return { path: `/v1/violations/${step.violationId}/disputes`, body: step.body };
    case 'record-casualty-tally':
      return { path: `/v1/agreements/${agreementId}/casualty-tallies`, body: step.body };
  }
}
