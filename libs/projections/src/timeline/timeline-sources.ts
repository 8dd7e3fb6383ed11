// The sources an event cites, as one list whatever the event's shape (`sources`, `source`, an
// optional `source`, or none). Deciders store Source objects only (the HTTP layer turns a bare
// name into `{ name }`), so they are passed on as they are.
import type { DomainEvent, Source } from '@app/domain';

export function citedSources(event: DomainEvent): readonly Source[] {
  switch (event.type) {
    case 'AgreementRegistered':
    case 'ObligationRegistered':
    case 'ViolationReported':
      return event.data.sources;
    case 'CasualtyTallyRecorded':
    case 'ProgressReported':
    case 'FulfilmentClaimed':
    case 'ViolationSourceAdded':
    case 'CasualtiesRevised':
      return [event.data.source];
    case 'FulfilmentVerified':
    case 'FulfilmentDisputed':
    case 'BreachRecorded':
    case 'DeadlineAmended':
    case 'ViolationDisputed':
      return event.data.source ? [event.data.source] : [];
    case 'PhaseStarted':
    case 'ObligationSuspended':
    case 'ObligationResumed':
    case 'ObligationWaived':
    case 'ViolationConfirmed':
    case 'ViolationDiscounted':
    case 'ViolationRetracted':
      return [];
  }
}
