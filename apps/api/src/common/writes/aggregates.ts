// The three event-sourced aggregates, each with its stream naming and decider: what a write use
// case needs to say where its events go.
import {
  agreementDecider,
  agreementStreamId,
  obligationDecider,
  obligationStreamId,
  violationDecider,
  violationStreamId,
} from '@app/domain';

export const AGREEMENT = {
  streamType: 'agreement',
  streamId: agreementStreamId,
  decider: agreementDecider,
} as const;
export const OBLIGATION = {
  streamType: 'obligation',
  streamId: obligationStreamId,
  decider: obligationDecider,
} as const;
export const VIOLATION = {
  streamType: 'violation',
  streamId: violationStreamId,
  decider: violationDecider,
} as const;

type Aggregate = typeof AGREEMENT | typeof OBLIGATION | typeof VIOLATION;

/** The id, stream and decider of one aggregate instance, to spread into a WriteSpec. */
export function streamOf<A extends Aggregate>(
  aggregate: A,
  id: string,
): { id: string; streamId: string; streamType: A['streamType']; decider: A['decider'] } {
  return {
    id,
    streamId: aggregate.streamId(id),
    streamType: aggregate.streamType,
    decider: aggregate.decider,
  };
}
