import type { AgreementFacts, CommandContext } from '../shared/context';
import type { Decider } from '../shared/decider';
import { DuplicateId, NotFound } from '../shared/errors';
import { ensure, ensureCount, ensureNotBlank, firstDuplicate } from '../shared/rules';
import { normaliseSource } from '../shared/source';
import { normaliseOptionalTime, normaliseTime, toMillis } from '../shared/time';
import type {
  AgreementCommand,
  RecordCasualtyTally,
  RegisterAgreement,
  StartPhase,
} from './agreement.commands';
import type { AgreementEvent, Party, PhaseDefinition } from './agreement.events';
import { PARTY_ROLES } from './agreement.events';

export interface AgreementPhase extends PhaseDefinition {
  readonly startedAt: string | null;
}

export interface AgreementRecord {
  readonly stage: 'registered';
  readonly id: string;
  readonly title: string;
  readonly effectiveAt: string;
  readonly signedAt: string | null;
  readonly parties: readonly Party[];
  readonly phases: readonly AgreementPhase[];
  readonly tallyIds: readonly string[];
}

export type AgreementState = { readonly stage: 'initial' } | AgreementRecord;

/** Agreement commands need only the clock and the actor: the agreement stream holds every fact they check. */
export type AgreementContext = CommandContext;

export const initialAgreementState = (): AgreementState => ({ stage: 'initial' });

export function evolveAgreement(state: AgreementState, event: AgreementEvent): AgreementState {
  switch (event.type) {
    case 'AgreementRegistered':
      return {
        stage: 'registered',
        id: event.data.agreementId,
        title: event.data.title,
        effectiveAt: event.data.effectiveAt,
        signedAt: event.data.signedAt,
        parties: event.data.parties,
        phases: event.data.phases.map((phase) => ({ ...phase, startedAt: null })),
        tallyIds: [],
      };
    case 'PhaseStarted':
      if (state.stage !== 'registered') return state;
      return {
        ...state,
        phases: state.phases.map((phase) =>
          phase.key === event.data.phaseKey ? { ...phase, startedAt: event.data.startedAt } : phase,
        ),
      };
    case 'CasualtyTallyRecorded':
      if (state.stage !== 'registered') return state;
      return { ...state, tallyIds: [...state.tallyIds, event.data.tallyId] };
  }
}

function registered(state: AgreementState, agreementId: string): AgreementRecord {
  if (state.stage !== 'registered') throw new NotFound(`agreement ${agreementId} not found`);
  return state;
}

function registerAgreement(
  command: RegisterAgreement,
  state: AgreementState,
  context: AgreementContext,
): AgreementEvent[] {
  const { data } = command;
  if (state.stage !== 'initial')
    throw new DuplicateId(`agreement ${data.agreementId} exists already`);
  ensureNotBlank(data.title, 'title');
  ensure(data.parties.length >= 2, 'an agreement has at least two parties');
  ensure(data.phases.length >= 1, 'an agreement has at least one phase');
  const duplicateParty = firstDuplicate(data.parties.map((party) => party.id));
  ensure(duplicateParty === undefined, `party ${duplicateParty} is listed twice`);
  const duplicatePhase = firstDuplicate(data.phases.map((phase) => phase.key));
  ensure(duplicatePhase === undefined, `phase ${duplicatePhase} is listed twice`);
  for (const party of data.parties) {
    ensure(PARTY_ROLES.includes(party.role), `party ${party.id} has an unknown role ${party.role}`);
  }
  return [
    {
      type: 'AgreementRegistered',
      data: {
        agreementId: data.agreementId,
        title: data.title,
        effectiveAt: normaliseTime(data.effectiveAt, 'effectiveAt'),
        signedAt: normaliseOptionalTime(data.signedAt, 'signedAt'),
        parties: data.parties.map((party) => ({
          id: party.id,
          name: party.name,
          role: party.role,
        })),
        phases: data.phases.map((phase) => ({
          key: phase.key,
          title: phase.title,
          startsAt: normaliseOptionalTime(phase.startsAt, `phases.${phase.key}.startsAt`),
        })),
        sources: (data.sources ?? []).map(normaliseSource),
        registeredAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function startPhase(
  command: StartPhase,
  state: AgreementState,
  context: AgreementContext,
): AgreementEvent[] {
  const agreement = registered(state, command.data.agreementId);
  const phase = agreement.phases.find((candidate) => candidate.key === command.data.phaseKey);
  if (!phase)
    throw new NotFound(`phase ${command.data.phaseKey} not found in agreement ${agreement.id}`);
  ensure(phase.startedAt === null, `phase ${phase.key} started already at ${phase.startedAt}`);
  return [
    {
      type: 'PhaseStarted',
      data: {
        agreementId: agreement.id,
        phaseKey: phase.key,
        startedAt: normaliseTime(command.data.startedAt, 'startedAt'),
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

function recordCasualtyTally(
  command: RecordCasualtyTally,
  state: AgreementState,
  context: AgreementContext,
): AgreementEvent[] {
  const { data } = command;
  const agreement = registered(state, data.agreementId);
  if (agreement.tallyIds.includes(data.tallyId))
    throw new DuplicateId(`casualty tally ${data.tallyId} exists already`);
  const attributedToPartyId = data.attributedToPartyId ?? null;
  ensure(
    attributedToPartyId === null ||
      agreement.parties.some((party) => party.id === attributedToPartyId),
    `party ${attributedToPartyId} is not a party of agreement ${agreement.id}`,
  );
  ensureCount(data.killed, 'killed', 10_000_000);
  ensureCount(data.injured, 'injured', 10_000_000);
  const asOf = normaliseTime(data.asOf, 'asOf');
  ensure(
    toMillis(asOf) <= toMillis(context.now),
    'a tally cannot be as of a time after it is recorded',
  );
  return [
    {
      type: 'CasualtyTallyRecorded',
      data: {
        agreementId: agreement.id,
        tallyId: data.tallyId,
        source: normaliseSource(data.source),
        asOf,
        killed: data.killed,
        injured: data.injured,
        attributedToPartyId,
        note: data.note ?? null,
        recordedAt: normaliseTime(context.now, 'now'),
      },
    },
  ];
}

export function decideAgreement(
  command: AgreementCommand,
  state: AgreementState,
  context: AgreementContext,
): AgreementEvent[] {
  switch (command.type) {
    case 'RegisterAgreement':
      return registerAgreement(command, state, context);
    case 'StartPhase':
      return startPhase(command, state, context);
    case 'RecordCasualtyTally':
      return recordCasualtyTally(command, state, context);
  }
}

export const agreementDecider: Decider<
  AgreementState,
  AgreementCommand,
  AgreementEvent,
  AgreementContext
> = {
  initialState: initialAgreementState,
  evolve: evolveAgreement,
  decide: decideAgreement,
};

/** The facts obligation and violation rules need; null when the agreement does not exist. */
export function agreementFacts(state: AgreementState): AgreementFacts | null {
  if (state.stage !== 'registered') return null;
  return {
    agreementId: state.id,
    effectiveAt: state.effectiveAt,
    partyIds: state.parties.map((party) => party.id),
    phaseKeys: state.phases.map((phase) => phase.key),
  };
}
