import type { AgreementFacts, CommandContext } from '../shared/context';
import type { Decider, JsonObject } from '../shared/decider';
import { DuplicateId, NotFound } from '../shared/errors';
import {
  ensure,
  ensureAllKnown,
  ensureNotBlank,
  firstDuplicate,
  requireContext,
} from '../shared/rules';
import type { Source } from '../shared/source';
import { normaliseSource } from '../shared/source';
import { normaliseOptionalTime, normaliseTime, toMillis } from '../shared/time';
import type {
  AmendDeadline,
  ChangeObligationState,
  ClaimFulfilment,
  ObligationCommand,
  RegisterObligation,
  ReportProgress,
  VerifyObligation,
} from './obligation.commands';
import type {
  DueWithin,
  ObligationEvent,
  ObligationKind,
  ObligationStateChangeData,
  Target,
  VerificationData,
} from './obligation.events';
import { DEADLINE_ANCHORS, OBLIGATION_KINDS, RATE_PERIODS } from './obligation.events';

export interface DeliveryEntry {
  readonly quantity: number;
  readonly occurredAt: string;
  readonly source: Source;
  readonly note: string | null;
  readonly recordedAt: string;
}

export interface ClaimEntry {
  readonly claimedByPartyId: string;
  readonly occurredAt: string;
  readonly source: Source;
  readonly note: string | null;
  readonly recordedAt: string;
}

export interface VerificationEntry {
  readonly outcome: 'verified' | 'disputed' | 'breached';
  readonly note: string;
  readonly occurredAt: string | null;
  readonly source: Source | null;
  readonly recordedAt: string;
}

export interface DeadlineAmendmentEntry {
  readonly dueAt: string;
  readonly previousDueAt: string | null;
  readonly reason: string;
  readonly source: Source | null;
  readonly recordedAt: string;
}

export interface StateChangeEntry {
  readonly action: 'suspend' | 'resume' | 'waive';
  readonly reason: string;
  readonly citedViolationIds: readonly string[];
  readonly recordedAt: string;
}

/** Everything recorded about one obligation, in recording order. Status is computed from it, never stored. */
export interface ObligationRecord {
  readonly stage: 'registered';
  readonly id: string;
  readonly agreementId: string;
  readonly phaseKey: string;
  readonly kind: ObligationKind;
  readonly title: string;
  readonly description: string | null;
  readonly clause: string | null;
  readonly responsiblePartyId: string;
  readonly beneficiaryPartyId: string | null;
  readonly dueAt: string | null;
  readonly dueWithin: DueWithin | null;
  readonly target: Target | null;
  readonly conditions: readonly string[];
  readonly terms: JsonObject | null;
  readonly sources: readonly Source[];
  readonly registeredAt: string;
  readonly deliveries: readonly DeliveryEntry[];
  readonly claims: readonly ClaimEntry[];
  readonly verifications: readonly VerificationEntry[];
  readonly deadlineAmendments: readonly DeadlineAmendmentEntry[];
  readonly stateChanges: readonly StateChangeEntry[];
  /** As of the latest recorded event (the decider's view, not time-filtered). */
  readonly suspended: boolean;
  readonly waived: boolean;
  readonly updatedAt: string;
}

export type ObligationState = { readonly stage: 'initial' } | ObligationRecord;

/**
 * What an obligation command handler supplies.
 * - `now`, `actor`: always.
 * - `agreement`: for RegisterObligation and ClaimFulfilment - `agreementFacts(folded agreement stream)`,
 *   `null` when that agreement does not exist (RegisterObligation then throws NotFound: the id is in the path).
 * - `agreementObligations`: for RegisterObligation when it names conditions - every obligation already
 *   registered in the same agreement, with its own conditions (to check that conditions resolve and form no cycle).
 * - `agreementViolationIds`: for ChangeObligationState when it cites violations - of the cited ids,
 *   those that are violation reports of the obligation's agreement.
 * A required field left undefined is a programming error (plain Error), not a 4xx.
 */
export interface ObligationContext extends CommandContext {
  readonly agreement?: AgreementFacts | null;
  readonly agreementViolationIds?: readonly string[];
  readonly agreementObligations?: ReadonlyArray<{
    readonly obligationId: string;
    readonly conditions: readonly string[];
  }>;
}

export const initialObligationState = (): ObligationState => ({ stage: 'initial' });

export const isRateObligation = (obligation: Pick<ObligationRecord, 'target'>): boolean =>
  obligation.target?.per !== undefined;

function verificationEntry(
  outcome: VerificationEntry['outcome'],
  data: VerificationData,
): VerificationEntry {
  return {
    outcome,
    note: data.note,
    occurredAt: data.occurredAt,
    source: data.source,
    recordedAt: data.recordedAt,
  };
}

function stateChangeEntry(
  action: StateChangeEntry['action'],
  data: ObligationStateChangeData,
): StateChangeEntry {
  return {
    action,
    reason: data.reason,
    citedViolationIds: data.citedViolationIds,
    recordedAt: data.recordedAt,
  };
}

export function evolveObligation(state: ObligationState, event: ObligationEvent): ObligationState {
  if (event.type === 'ObligationRegistered') {
    const { data } = event;
    return {
      stage: 'registered',
      id: data.obligationId,
      agreementId: data.agreementId,
      phaseKey: data.phaseKey,
      kind: data.kind,
      title: data.title,
      description: data.description,
      clause: data.clause,
      responsiblePartyId: data.responsiblePartyId,
      beneficiaryPartyId: data.beneficiaryPartyId,
      dueAt: data.dueAt,
      dueWithin: data.dueWithin,
      target: data.target,
      conditions: data.conditions,
      terms: data.terms,
      sources: data.sources,
      registeredAt: data.registeredAt,
      deliveries: [],
      claims: [],
      verifications: [],
      deadlineAmendments: [],
      stateChanges: [],
      suspended: false,
      waived: false,
      updatedAt: data.registeredAt,
    };
  }
  if (state.stage !== 'registered') return state;
  const updatedAt = event.data.recordedAt;
  switch (event.type) {
    case 'ProgressReported': {
      const { quantity, occurredAt, source, note, recordedAt } = event.data;
      return {
        ...state,
        updatedAt,
        deliveries: [...state.deliveries, { quantity, occurredAt, source, note, recordedAt }],
      };
    }
    case 'FulfilmentClaimed': {
      const { claimedByPartyId, occurredAt, source, note, recordedAt } = event.data;
      return {
        ...state,
        updatedAt,
        claims: [...state.claims, { claimedByPartyId, occurredAt, source, note, recordedAt }],
      };
    }
    case 'FulfilmentVerified':
      return {
        ...state,
        updatedAt,
        verifications: [...state.verifications, verificationEntry('verified', event.data)],
      };
    case 'FulfilmentDisputed':
      return {
        ...state,
        updatedAt,
        verifications: [...state.verifications, verificationEntry('disputed', event.data)],
      };
    case 'BreachRecorded':
      return {
        ...state,
        updatedAt,
        verifications: [...state.verifications, verificationEntry('breached', event.data)],
      };
    case 'DeadlineAmended': {
      const { dueAt, previousDueAt, reason, source, recordedAt } = event.data;
      return {
        ...state,
        updatedAt,
        deadlineAmendments: [
          ...state.deadlineAmendments,
          { dueAt, previousDueAt, reason, source, recordedAt },
        ],
      };
    }
    case 'ObligationSuspended':
      return {
        ...state,
        updatedAt,
        suspended: true,
        stateChanges: [...state.stateChanges, stateChangeEntry('suspend', event.data)],
      };
    case 'ObligationResumed':
      return {
        ...state,
        updatedAt,
        suspended: false,
        stateChanges: [...state.stateChanges, stateChangeEntry('resume', event.data)],
      };
    case 'ObligationWaived':
      return {
        ...state,
        updatedAt,
        waived: true,
        stateChanges: [...state.stateChanges, stateChangeEntry('waive', event.data)],
      };
  }
}

function registered(state: ObligationState, obligationId: string): ObligationRecord {
  if (state.stage !== 'registered') throw new NotFound(`obligation ${obligationId} not found`);
  return state;
}

function notInFuture(time: string, context: ObligationContext, field: string): void {
  ensure(
    toMillis(time) <= toMillis(context.now),
    `${field} ${time} is after the time of recording ${context.now}`,
  );
}

/** True when following conditions from `start` leads back to `target`. */
function reaches(
  graph: ReadonlyMap<string, readonly string[]>,
  start: string,
  target: string,
): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (current === target) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...(graph.get(current) ?? []));
  }
  return false;
}

function registerObligation(
  command: RegisterObligation,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  const { data } = command;
  if (state.stage !== 'initial')
    throw new DuplicateId(`obligation ${data.obligationId} exists already`);
  const agreement = requireContext(context.agreement, 'agreement');
  if (agreement === null || agreement.agreementId !== data.agreementId) {
    throw new NotFound(`agreement ${data.agreementId} not found`);
  }
  ensure(OBLIGATION_KINDS.includes(data.kind), `unknown obligation kind ${data.kind}`);
  ensureNotBlank(data.title, 'title');
  ensure(
    agreement.phaseKeys.includes(data.phaseKey),
    `phase ${data.phaseKey} is not a phase of agreement ${agreement.agreementId}`,
  );
  ensure(
    agreement.partyIds.includes(data.responsiblePartyId),
    `party ${data.responsiblePartyId} is not a party of agreement ${agreement.agreementId}`,
  );
  const beneficiaryPartyId = data.beneficiaryPartyId ?? null;
  ensure(
    beneficiaryPartyId === null || agreement.partyIds.includes(beneficiaryPartyId),
    `party ${beneficiaryPartyId} is not a party of agreement ${agreement.agreementId}`,
  );
  const dueAt = normaliseOptionalTime(data.dueAt, 'dueAt');
  const dueWithin = data.dueWithin ?? null;
  ensure(dueAt === null || dueWithin === null, 'give either dueAt or dueWithin, not both');
  const conditions = data.conditions ?? [];
  if (dueWithin !== null) {
    ensure(
      Number.isFinite(dueWithin.hours) && dueWithin.hours >= 0,
      'dueWithin.hours must be zero or more',
    );
    ensure(
      DEADLINE_ANCHORS.includes(dueWithin.after),
      `unknown deadline anchor ${dueWithin.after}`,
    );
    ensure(
      dueWithin.after !== 'conditions_met' || conditions.length > 0,
      'a deadline after conditions_met needs at least one condition',
    );
  }
  const target = data.target ?? null;
  if (target !== null) {
    ensure(
      Number.isFinite(target.quantity) && target.quantity > 0,
      'target.quantity must be more than zero',
    );
    ensureNotBlank(target.unit, 'target.unit');
    ensure(
      target.per === undefined || RATE_PERIODS.includes(target.per),
      `unknown rate period ${target.per}`,
    );
  }
  const duplicateCondition = firstDuplicate(conditions);
  ensure(duplicateCondition === undefined, `condition ${duplicateCondition} is listed twice`);
  ensure(!conditions.includes(data.obligationId), 'an obligation cannot be its own condition');
  if (conditions.length > 0) {
    const existing = requireContext(context.agreementObligations, 'agreementObligations');
    const graph = new Map<string, readonly string[]>(
      existing.map((other) => [other.obligationId, other.conditions]),
    );
    for (const condition of conditions) {
      ensure(
        graph.has(condition),
        `condition ${condition} is not an obligation of agreement ${agreement.agreementId}`,
      );
    }
    graph.set(data.obligationId, conditions);
    for (const condition of conditions) {
      ensure(
        !reaches(graph, condition, data.obligationId),
        `condition ${condition} would form a cycle`,
      );
    }
  }
  const normalisedTarget: Target | null =
    target === null
      ? null
      : target.per === undefined
        ? { quantity: target.quantity, unit: target.unit }
        : { quantity: target.quantity, unit: target.unit, per: target.per };
  return [
    {
      type: 'ObligationRegistered',
      data: {
        obligationId: data.obligationId,
        agreementId: agreement.agreementId,
        phaseKey: data.phaseKey,
        kind: data.kind,
        title: data.title,
        description: data.description ?? null,
        clause: data.clause ?? null,
        responsiblePartyId: data.responsiblePartyId,
        beneficiaryPartyId,
        dueAt,
        dueWithin: dueWithin === null ? null : { hours: dueWithin.hours, after: dueWithin.after },
        target: normalisedTarget,
        conditions: [...conditions],
        terms: data.terms ?? null,
        sources: (data.sources ?? []).map(normaliseSource),
        registeredAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function reportProgress(
  command: ReportProgress,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  const { data } = command;
  const obligation = registered(state, data.obligationId);
  ensure(Number.isFinite(data.quantity) && data.quantity > 0, 'quantity must be more than zero');
  const occurredAt = normaliseTime(data.occurredAt, 'occurredAt');
  notInFuture(occurredAt, context, 'occurredAt');
  return [
    {
      type: 'ProgressReported',
      data: {
        obligationId: obligation.id,
        agreementId: obligation.agreementId,
        quantity: data.quantity,
        occurredAt,
        source: normaliseSource(data.source),
        note: data.note ?? null,
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function claimFulfilment(
  command: ClaimFulfilment,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  const { data } = command;
  const obligation = registered(state, data.obligationId);
  const agreement = requireContext(context.agreement, 'agreement');
  ensure(
    agreement !== null && agreement.partyIds.includes(data.claimedByPartyId),
    `party ${data.claimedByPartyId} is not a party of agreement ${obligation.agreementId}`,
  );
  ensure(
    !isRateObligation(obligation),
    'a rate obligation is judged window by window and cannot be claimed fulfilled',
  );
  const occurredAt = normaliseTime(data.occurredAt, 'occurredAt');
  notInFuture(occurredAt, context, 'occurredAt');
  return [
    {
      type: 'FulfilmentClaimed',
      data: {
        obligationId: obligation.id,
        agreementId: obligation.agreementId,
        claimedByPartyId: data.claimedByPartyId,
        occurredAt,
        source: normaliseSource(data.source),
        note: data.note ?? null,
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function verifyObligation(
  command: VerifyObligation,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  const { data } = command;
  const obligation = registered(state, data.obligationId);
  ensure(!obligation.waived, `obligation ${obligation.id} is waived`);
  ensure(
    data.outcome !== 'verified' || !isRateObligation(obligation),
    'a rate obligation is judged window by window and is never verified fulfilled',
  );
  const occurredAt = normaliseOptionalTime(data.occurredAt, 'occurredAt');
  if (occurredAt !== null) notInFuture(occurredAt, context, 'occurredAt');
  const verification: VerificationData = {
    obligationId: obligation.id,
    agreementId: obligation.agreementId,
    note: data.note,
    occurredAt,
    source: data.source ? normaliseSource(data.source) : null,
    recordedAt: normaliseTime(context.now, 'now'),
  };
  switch (data.outcome) {
    case 'verified':
      return [{ type: 'FulfilmentVerified', data: verification }];
    case 'disputed':
      return [{ type: 'FulfilmentDisputed', data: verification }];
    case 'breached':
      return [{ type: 'BreachRecorded', data: verification }];
  }
}

function amendDeadline(
  command: AmendDeadline,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  const { data } = command;
  const obligation = registered(state, data.obligationId);
  ensure(!obligation.waived, `obligation ${obligation.id} is waived`);
  ensureNotBlank(data.reason, 'reason');
  const latest = obligation.deadlineAmendments[obligation.deadlineAmendments.length - 1];
  return [
    {
      type: 'DeadlineAmended',
      data: {
        obligationId: obligation.id,
        agreementId: obligation.agreementId,
        dueAt: normaliseTime(data.dueAt, 'dueAt'),
        previousDueAt: latest ? latest.dueAt : obligation.dueAt,
        reason: data.reason,
        source: data.source ? normaliseSource(data.source) : null,
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function changeObligationState(
  command: ChangeObligationState,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  const { data } = command;
  const obligation = registered(state, data.obligationId);
  ensureNotBlank(data.reason, 'reason');
  ensure(!obligation.waived, `obligation ${obligation.id} is waived`);
  // A cited report must resolve, and to a report on the same agreement (422, like any reference).
  const cited = data.citedViolationIds ?? [];
  ensureAllKnown(
    cited,
    context.agreementViolationIds,
    'agreementViolationIds',
    (id) => `violation ${id} is not a report on agreement ${obligation.agreementId}`,
  );
  const change: ObligationStateChangeData = {
    obligationId: obligation.id,
    agreementId: obligation.agreementId,
    reason: data.reason,
    citedViolationIds: [...cited],
    recordedAt: normaliseTime(context.now, 'now'),
  };
  switch (data.action) {
    case 'suspend':
      ensure(!obligation.suspended, `obligation ${obligation.id} is suspended already`);
      return [{ type: 'ObligationSuspended', data: change }];
    case 'resume':
      ensure(obligation.suspended, `obligation ${obligation.id} is not suspended`);
      return [{ type: 'ObligationResumed', data: change }];
    case 'waive':
      return [{ type: 'ObligationWaived', data: change }];
  }
}

export function decideObligation(
  command: ObligationCommand,
  state: ObligationState,
  context: ObligationContext,
): ObligationEvent[] {
  switch (command.type) {
    case 'RegisterObligation':
      return registerObligation(command, state, context);
    case 'ReportProgress':
      return reportProgress(command, state, context);
    case 'ClaimFulfilment':
      return claimFulfilment(command, state, context);
    case 'VerifyObligation':
      return verifyObligation(command, state, context);
    case 'AmendDeadline':
      return amendDeadline(command, state, context);
    case 'ChangeObligationState':
      return changeObligationState(command, state, context);
  }
}

export const obligationDecider: Decider<
  ObligationState,
  ObligationCommand,
  ObligationEvent,
  ObligationContext
> = {
  initialState: initialObligationState,
  evolve: evolveObligation,
  decide: decideObligation,
};
