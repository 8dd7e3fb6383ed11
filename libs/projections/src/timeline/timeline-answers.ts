// Which earlier entry of its own stream an event corrects or answers. Each rule lists tiers of
// event types: the latest earlier entry of the first tier that has one is the link.
import type { DomainEventType } from '@app/domain';

type Tiers = readonly (readonly DomainEventType[])[];

const THE_REPORT: Tiers = [['ViolationReported']];
/**
 * A verifier's outcome (verified, disputed, breached) weighs the latest claim of fulfilment;
 * without one, the latest delivery reported; without either, the obligation as registered.
 */
const THE_CLAIM: Tiers = [['FulfilmentClaimed'], ['ProgressReported'], ['ObligationRegistered']];

export const ANSWERS: Partial<Readonly<Record<DomainEventType, Tiers>>> = {
  // A revision replaces the figures of the previous revision, or of the report itself.
  CasualtiesRevised: [['CasualtiesRevised', 'ViolationReported']],
  ViolationSourceAdded: THE_REPORT,
  ViolationDisputed: THE_REPORT,
  ViolationConfirmed: THE_REPORT,
  ViolationDiscounted: THE_REPORT,
  ViolationRetracted: THE_REPORT,
  FulfilmentVerified: THE_CLAIM,
  FulfilmentDisputed: THE_CLAIM,
  BreachRecorded: THE_CLAIM,
  // An amendment replaces the previous amendment, or the deadline the obligation was registered with.
  DeadlineAmended: [['DeadlineAmended', 'ObligationRegistered']],
  ObligationSuspended: [['ObligationRegistered']],
  ObligationWaived: [['ObligationRegistered']],
  ObligationResumed: [['ObligationSuspended']],
};
