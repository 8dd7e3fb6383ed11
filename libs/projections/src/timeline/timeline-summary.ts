// One human sentence per event for the agreement timeline: who recorded what, on which source.
import type { DomainEvent, Source } from '@app/domain';

const n = (value: number, unit: string): string => `${value} ${unit}${value === 1 ? '' : 's'}`;
const on = (source: Source | null | undefined): string =>
  source ? ` (source: ${source.name})` : '';
const onAll = (sources: readonly Source[]): string =>
  sources.length === 0 ? '' : ` (sources: ${sources.map((s) => s.name).join(', ')})`;

export function actorName(metadata: Record<string, unknown>): string {
  const actor = metadata.actor as { name?: unknown; role?: unknown } | undefined;
  if (actor && typeof actor.name === 'string') {
    return typeof actor.role === 'string' ? `${actor.name} (${actor.role})` : actor.name;
  }
  return 'Someone';
}

export function summarise(event: DomainEvent, metadata: Record<string, unknown>): string {
  const who = actorName(metadata);
  switch (event.type) {
    case 'AgreementRegistered':
      return `${who} registered the agreement "${event.data.title}" between ${event.data.parties
        .map((p) => p.name)
        .join(', ')}, in effect from ${event.data.effectiveAt}${onAll(event.data.sources)}`;
    case 'PhaseStarted':
      return `${who} recorded that ${event.data.phaseKey} started at ${event.data.startedAt}`;
    case 'CasualtyTallyRecorded': {
      const party = event.data.attributedToPartyId
        ? ` attributed to ${event.data.attributedToPartyId}`
        : '';
      return `${who} recorded a casualty tally of ${event.data.killed} killed and ${event.data.injured} injured as of ${event.data.asOf}${party}${on(event.data.source)}`;
    }
    case 'ObligationRegistered': {
      const d = event.data;
      const due = d.dueAt
        ? `, due ${d.dueAt}`
        : d.dueWithin
          ? `, due within ${n(d.dueWithin.hours, 'hour')} of ${d.dueWithin.after.replace(/_/g, ' ')}`
          : '';
      const target = d.target
        ? `, target ${d.target.quantity} ${d.target.unit}${d.target.per ? ` per ${d.target.per}` : ''}`
        : '';
      const conditions = d.conditions.length ? `, after ${d.conditions.join(', ')}` : '';
      return `${who} registered obligation "${d.title}" of ${d.responsiblePartyId} in ${d.phaseKey}${due}${target}${conditions}${onAll(d.sources)}`;
    }
    case 'ProgressReported':
      return `${who} reported ${event.data.quantity} more delivered on ${event.data.obligationId} at ${event.data.occurredAt}${on(event.data.source)}`;
    case 'FulfilmentClaimed':
      return `${who} recorded that ${event.data.claimedByPartyId} claims ${event.data.obligationId} fulfilled at ${event.data.occurredAt}${on(event.data.source)}`;
    case 'FulfilmentVerified':
      return `${who} verified the fulfilment of ${event.data.obligationId}: ${event.data.note}${on(event.data.source)}`;
    case 'FulfilmentDisputed':
      return `${who} disputed the fulfilment of ${event.data.obligationId}: ${event.data.note}${on(event.data.source)}`;
    case 'BreachRecorded':
      return `${who} recorded a breach of ${event.data.obligationId}: ${event.data.note}${on(event.data.source)}`;
    case 'DeadlineAmended':
      return `${who} amended the deadline of ${event.data.obligationId} to ${event.data.dueAt}${event.data.previousDueAt ? ` (was ${event.data.previousDueAt})` : ''}: ${event.data.reason}${on(event.data.source)}`;
    case 'ObligationSuspended':
      return `${who} suspended ${event.data.obligationId}: ${event.data.reason}${event.data.citedViolationIds.length ? ` (citing ${event.data.citedViolationIds.join(', ')})` : ''}`;
    case 'ObligationResumed':
      return `${who} resumed ${event.data.obligationId}: ${event.data.reason}`;
    case 'ObligationWaived':
      return `${who} waived ${event.data.obligationId}: ${event.data.reason}`;
    case 'ViolationReported': {
      const d = event.data;
      const casualties =
        d.casualties.killed || d.casualties.injured
          ? `, ${d.casualties.killed} killed and ${d.casualties.injured} injured`
          : '';
      return `${who} reported ${d.category.replace(/_/g, ' ')} by ${d.allegedPartyId} at ${d.location.name} on ${d.occurredAt}${casualties}${onAll(d.sources)}`;
    }
    case 'ViolationSourceAdded':
      return `${who} added source ${event.data.source.name} to violation ${event.data.violationId}`;
    case 'CasualtiesRevised':
      return `${who} revised the casualties of violation ${event.data.violationId} to ${event.data.killed} killed and ${event.data.injured} injured (were ${event.data.previous.killed} and ${event.data.previous.injured}): ${event.data.reason}${on(event.data.source)}`;
    case 'ViolationDisputed':
      return `${who} recorded that ${event.data.partyId} disputes violation ${event.data.violationId}: ${event.data.statement}${on(event.data.source)}`;
    case 'ViolationConfirmed':
      return `${who} confirmed violation ${event.data.violationId}: ${event.data.note}`;
    case 'ViolationDiscounted':
      return `${who} discounted violation ${event.data.violationId}: ${event.data.note}`;
    case 'ViolationRetracted':
      return `${who} retracted violation ${event.data.violationId}: ${event.data.reason}`;
  }
}
