// What an entry is about: the agreement, obligation or violation report whose stream it belongs
// to, or the casualty tally it records. Titles come from the registering event (the first of its
// stream), so later events borrow the title of that entry.
import type { DomainEvent, DomainEventType } from '@app/domain';
import type { TimelineSubject } from './timeline-entry';
import { when } from './timeline-format';

/** The event that opens each stream type and carries the subject's title. */
export const STREAM_OPENERS: Readonly<Partial<Record<string, DomainEventType>>> = {
  agreement: 'AgreementRegistered',
  obligation: 'ObligationRegistered',
  violation: 'ViolationReported',
};

/** A violation report's title: "airstrike by israel at Gaza City". */
function reportTitle(data: Extract<DomainEvent, { type: 'ViolationReported' }>['data']): string {
  return `${data.category.replace(/_/g, ' ')} by ${data.allegedPartyId} at ${data.location.name}`;
}

/** `streamTitle`: the title of the stream's opening entry, when this event is not that entry. */
export function subjectOf(event: DomainEvent, streamTitle: string | undefined): TimelineSubject {
  const titled = (
    kind: TimelineSubject['kind'],
    id: string,
    title = streamTitle,
  ): TimelineSubject => (title === undefined ? { kind, id } : { kind, id, title });
  switch (event.type) {
    case 'AgreementRegistered':
      return titled('agreement', event.data.agreementId, event.data.title);
    case 'PhaseStarted':
      return titled('agreement', event.data.agreementId);
    case 'CasualtyTallyRecorded':
      return titled(
        'tally',
        event.data.tallyId,
        `casualty tally of ${event.data.source.name} as of ${when(event.data.asOf)}`,
      );
    case 'ObligationRegistered':
      return titled('obligation', event.data.obligationId, event.data.title);
    case 'ViolationReported':
      return titled('violation', event.data.violationId, reportTitle(event.data));
    default:
      return 'violationId' in event.data
        ? titled('violation', event.data.violationId)
        : titled('obligation', event.data.obligationId);
  }
}
