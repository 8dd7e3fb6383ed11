import { TimeFilter } from '../time-filter';

/** `?asOf` and `?occurredBefore` (auditors): the answer rebuilt by replaying events. */
export class ReplayRequest {
  @TimeFilter(
    'Auditor: the answer as the service knew it at this time (events recorded up to it, statuses judged at it); generatedFrom becomes "replay"',
    '2025-10-20T12:00:00Z',
  )
  asOf?: string;

  @TimeFilter(
    'Auditor: what had happened before this time, as known now (or as of asOf); statuses judged at it',
    '2025-10-15T00:00:00Z',
  )
  occurredBefore?: string;
}
