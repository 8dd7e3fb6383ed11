// Every domain event, its stored schema version, and the world time the event store files it under.
import type { AgreementEvent } from './agreements/agreement.events';
import { AGREEMENT_EVENT_SCHEMA_VERSIONS } from './agreements/agreement.events';
import type { ObligationEvent } from './obligations/obligation.events';
import { OBLIGATION_EVENT_SCHEMA_VERSIONS } from './obligations/obligation.events';
import type { ViolationEvent } from './violations/violation.events';
import { VIOLATION_EVENT_SCHEMA_VERSIONS } from './violations/violation.events';

export type DomainEvent = AgreementEvent | ObligationEvent | ViolationEvent;
export type DomainEventType = DomainEvent['type'];

/** Stored with each event as `schema_version`; bump one (and add an upcaster) when its data shape changes. */
export const SCHEMA_VERSION: Readonly<Record<DomainEventType, number>> = {
  ...AGREEMENT_EVENT_SCHEMA_VERSIONS,
  ...OBLIGATION_EVENT_SCHEMA_VERSIONS,
  ...VIOLATION_EVENT_SCHEMA_VERSIONS,
};

export const DOMAIN_EVENT_TYPES = Object.keys(SCHEMA_VERSION) as DomainEventType[];

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.prototype.hasOwnProperty.call(SCHEMA_VERSION, type);
}

/**
 * When the fact happened in the world (the store's `occurred_at`), or null when the event is a pure
 * act of recording (a source added, a deadline amended) - its time is then the recorded time.
 */
export function eventOccurredAt(event: DomainEvent): string | null {
  switch (event.type) {
    case 'AgreementRegistered':
      return event.data.effectiveAt;
    case 'PhaseStarted':
      return event.data.startedAt;
    case 'CasualtyTallyRecorded':
      return event.data.asOf;
    case 'ProgressReported':
    case 'FulfilmentClaimed':
    case 'ViolationReported':
      return event.data.occurredAt;
    case 'FulfilmentVerified':
    case 'FulfilmentDisputed':
    case 'BreachRecorded':
      return event.data.occurredAt;
    default:
      return null;
  }
}
