import type { AgreementFacts, CommandContext } from '../shared/context';
import type { Decider } from '../shared/decider';
import { DuplicateId, Forbidden, NotFound, RuleViolated } from '../shared/errors';
import {
  ensure,
  ensureAllKnown,
  ensureCount,
  ensureNotBlank,
  requireContext,
} from '../shared/rules';
import type { Source } from '../shared/source';
import { normaliseSource } from '../shared/source';
import { DAY_MS, normaliseTime, toMillis } from '../shared/time';
import type {
  AddViolationSource,
  DisputeViolation,
  ReportViolation,
  RetractViolation,
  ReviseCasualties,
  VerifyViolation,
  ViolationCommand,
} from './violation.commands';
import type {
  Casualties,
  Reporter,
  ViolationCategory,
  ViolationEvent,
  ViolationLocation,
} from './violation.events';
import { LOCATION_PRECISIONS, VIOLATION_CATEGORIES } from './violation.events';

export const MAX_CASUALTIES = 100_000;

export interface CasualtyRevisionEntry extends Casualties {
  readonly reason: string;
  readonly source: Source;
  readonly recordedAt: string;
}

export interface DisputeEntry {
  readonly partyId: string;
  readonly statement: string;
  readonly source: Source | null;
  readonly recordedAt: string;
}

export interface ViolationVerificationEntry {
  readonly outcome: 'confirmed' | 'discounted';
  readonly note: string;
  readonly recordedAt: string;
}

export interface ViolationRecord {
  readonly stage: 'reported';
  readonly id: string;
  readonly agreementId: string;
  readonly occurredAt: string;
  readonly location: ViolationLocation;
  readonly category: ViolationCategory;
  readonly allegedPartyId: string;
  readonly description: string;
  /** The current figures (the latest revision, else the reported ones). */
  readonly casualties: Casualties;
  readonly casualtyRevisions: readonly CasualtyRevisionEntry[];
  readonly sources: readonly Source[];
  readonly disputes: readonly DisputeEntry[];
  readonly verifications: readonly ViolationVerificationEntry[];
  readonly retraction: { readonly reason: string; readonly recordedAt: string } | null;
  readonly relatedObligationIds: readonly string[];
  readonly reportedBy: Reporter;
  readonly recordedAt: string;
  readonly updatedAt: string;
}

export type ViolationState = { readonly stage: 'initial' } | ViolationRecord;

/**
 * What a violation command handler supplies.
 * - `now`, `actor`: always (`actor` becomes `reportedBy` on ReportViolation and is checked on RetractViolation).
 * - `agreement`: for ReportViolation (the agreement named in the body; `null` when it does not exist -> 422)
 *   and DisputeViolation (the violation's agreement; the disputing party must belong to it).
 * - `agreementObligationIds`: for ReportViolation when it names relatedObligationIds - ids of the
 *   obligations registered in that agreement.
 * A required field left undefined is a programming error (plain Error), not a 4xx.
 */
export interface ViolationContext extends CommandContext {
  readonly agreement?: AgreementFacts | null;
  readonly agreementObligationIds?: readonly string[];
}

export const initialViolationState = (): ViolationState => ({ stage: 'initial' });

export function evolveViolation(state: ViolationState, event: ViolationEvent): ViolationState {
  if (event.type === 'ViolationReported') {
    const { data } = event;
    return {
      stage: 'reported',
      id: data.violationId,
      agreementId: data.agreementId,
      occurredAt: data.occurredAt,
      location: data.location,
      category: data.category,
      allegedPartyId: data.allegedPartyId,
      description: data.description,
      casualties: data.casualties,
      casualtyRevisions: [],
      sources: data.sources,
      disputes: [],
      verifications: [],
      retraction: null,
      relatedObligationIds: data.relatedObligationIds,
      reportedBy: data.reportedBy,
      recordedAt: data.recordedAt,
      updatedAt: data.recordedAt,
    };
  }
  if (state.stage !== 'reported') return state;
  const updatedAt = event.data.recordedAt;
  switch (event.type) {
    case 'ViolationSourceAdded':
      return { ...state, updatedAt, sources: [...state.sources, event.data.source] };
    case 'CasualtiesRevised': {
      const { killed, injured, reason, source, recordedAt } = event.data;
      return {
        ...state,
        updatedAt,
        casualties: { killed, injured },
        casualtyRevisions: [
          ...state.casualtyRevisions,
          { killed, injured, reason, source, recordedAt },
        ],
      };
    }
    case 'ViolationDisputed': {
      const { partyId, statement, source, recordedAt } = event.data;
      return {
        ...state,
        updatedAt,
        disputes: [...state.disputes, { partyId, statement, source, recordedAt }],
      };
    }
    case 'ViolationConfirmed':
    case 'ViolationDiscounted':
      return {
        ...state,
        updatedAt,
        verifications: [
          ...state.verifications,
          {
            outcome: event.type === 'ViolationConfirmed' ? 'confirmed' : 'discounted',
            note: event.data.note,
            recordedAt: event.data.recordedAt,
          },
        ],
      };
    case 'ViolationRetracted':
      return {
        ...state,
        updatedAt,
        retraction: { reason: event.data.reason, recordedAt: event.data.recordedAt },
      };
  }
}

function reported(state: ViolationState, violationId: string): ViolationRecord {
  if (state.stage !== 'reported') throw new NotFound(`violation ${violationId} not found`);
  return state;
}

function notRetracted(violation: ViolationRecord): void {
  ensure(violation.retraction === null, `violation ${violation.id} was retracted`);
}

function ensureCasualties(casualties: Casualties): void {
  ensureCount(casualties.killed, 'killed', MAX_CASUALTIES);
  ensureCount(casualties.injured, 'injured', MAX_CASUALTIES);
}

function reportViolation(
  command: ReportViolation,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  const { data } = command;
  if (state.stage !== 'initial')
    throw new DuplicateId(`violation ${data.violationId} exists already`);
  const agreement = requireContext(context.agreement, 'agreement');
  if (agreement === null || agreement.agreementId !== data.agreementId) {
    throw new RuleViolated(`agreement ${data.agreementId} not found`);
  }
  ensure(
    agreement.partyIds.includes(data.allegedPartyId),
    `party ${data.allegedPartyId} is not a party of agreement ${agreement.agreementId}`,
  );
  ensure(VIOLATION_CATEGORIES.includes(data.category), `unknown category ${data.category}`);
  ensure(
    LOCATION_PRECISIONS.includes(data.location.precision),
    `unknown precision ${data.location.precision}`,
  );
  ensureNotBlank(data.location.name, 'location.name');
  const occurredAt = normaliseTime(data.occurredAt, 'occurredAt');
  ensure(
    toMillis(occurredAt) <= toMillis(context.now),
    `occurredAt ${occurredAt} is after the time of recording`,
  );
  ensure(
    toMillis(occurredAt) >= toMillis(agreement.effectiveAt) - DAY_MS,
    `occurredAt ${occurredAt} is more than a day before the agreement took effect (${agreement.effectiveAt})`,
  );
  const casualties = data.casualties ?? { killed: 0, injured: 0 };
  ensureCasualties(casualties);
  ensure(data.sources.length > 0, 'a violation report needs at least one source');
  const relatedObligationIds = [...new Set(data.relatedObligationIds ?? [])];
  ensureAllKnown(
    relatedObligationIds,
    context.agreementObligationIds,
    'agreementObligationIds',
    (id) => `obligation ${id} is not an obligation of agreement ${agreement.agreementId}`,
  );
  const { name, lat, lon, precision } = data.location;
  const location: ViolationLocation =
    lat !== undefined && lon !== undefined ? { name, lat, lon, precision } : { name, precision };
  return [
    {
      type: 'ViolationReported',
      data: {
        violationId: data.violationId,
        agreementId: agreement.agreementId,
        occurredAt,
        location,
        category: data.category,
        allegedPartyId: data.allegedPartyId,
        description: data.description,
        casualties: { killed: casualties.killed, injured: casualties.injured },
        sources: data.sources.map(normaliseSource),
        relatedObligationIds,
        reportedBy: { keyId: context.actor.keyId, name: context.actor.name },
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function addViolationSource(
  command: AddViolationSource,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  const violation = reported(state, command.data.violationId);
  notRetracted(violation);
  ensureNotBlank(command.data.source.name, 'source.name');
  return [
    {
      type: 'ViolationSourceAdded',
      data: {
        violationId: violation.id,
        agreementId: violation.agreementId,
        source: normaliseSource(command.data.source),
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function reviseCasualties(
  command: ReviseCasualties,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  const { data } = command;
  const violation = reported(state, data.violationId);
  notRetracted(violation);
  ensureCasualties(data);
  ensureNotBlank(data.reason, 'reason');
  return [
    {
      type: 'CasualtiesRevised',
      data: {
        violationId: violation.id,
        agreementId: violation.agreementId,
        killed: data.killed,
        injured: data.injured,
        previous: violation.casualties,
        reason: data.reason,
        source: normaliseSource(data.source),
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function disputeViolation(
  command: DisputeViolation,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  const { data } = command;
  const violation = reported(state, data.violationId);
  notRetracted(violation);
  const agreement = requireContext(context.agreement, 'agreement');
  ensure(
    agreement !== null && agreement.partyIds.includes(data.partyId),
    `party ${data.partyId} is not a party of agreement ${violation.agreementId}`,
  );
  ensureNotBlank(data.statement, 'statement');
  return [
    {
      type: 'ViolationDisputed',
      data: {
        violationId: violation.id,
        agreementId: violation.agreementId,
        partyId: data.partyId,
        statement: data.statement,
        source: data.source ? normaliseSource(data.source) : null,
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function verifyViolation(
  command: VerifyViolation,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  const { data } = command;
  const violation = reported(state, data.violationId);
  notRetracted(violation);
  const verification = {
    violationId: violation.id,
    agreementId: violation.agreementId,
    note: data.note,
    recordedAt: normaliseTime(context.now, 'now'),
  };
  switch (data.outcome) {
    case 'confirmed':
      return [{ type: 'ViolationConfirmed', data: verification }];
    case 'discounted':
      return [{ type: 'ViolationDiscounted', data: verification }];
  }
}

function retractViolation(
  command: RetractViolation,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  const violation = reported(state, command.data.violationId);
  if (context.actor.role !== 'admin' && context.actor.keyId !== violation.reportedBy.keyId) {
    throw new Forbidden(
      `only the key that reported violation ${violation.id}, or an admin, may retract it`,
    );
  }
  notRetracted(violation);
  ensureNotBlank(command.data.reason, 'reason');
  return [
    {
      type: 'ViolationRetracted',
      data: {
        violationId: violation.id,
        agreementId: violation.agreementId,
        reason: command.data.reason,
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

export function decideViolation(
  command: ViolationCommand,
  state: ViolationState,
  context: ViolationContext,
): ViolationEvent[] {
  switch (command.type) {
    case 'ReportViolation':
      return reportViolation(command, state, context);
    case 'AddViolationSource':
      return addViolationSource(command, state, context);
    case 'ReviseCasualties':
      return reviseCasualties(command, state, context);
    case 'DisputeViolation':
      return disputeViolation(command, state, context);
    case 'VerifyViolation':
      return verifyViolation(command, state, context);
    case 'RetractViolation':
      return retractViolation(command, state, context);
  }
}

export const violationDecider: Decider<
  ViolationState,
  ViolationCommand,
  ViolationEvent,
  ViolationContext
> = {
  initialState: initialViolationState,
  evolve: evolveViolation,
  decide: decideViolation,
};
