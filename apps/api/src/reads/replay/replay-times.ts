// Turns `?asOf` / `?occurredBefore` into replay times, for auditors (and admins) only.
import type { Actor } from '@app/domain';
import type { ReplayTimes } from '@app/projections';
import { ApiError } from '../../common/api-error';
import type { ReplayRequest } from './replay.request.dto';

/** Null when the request asks for the live answer. */
export function replayTimesOf(
  query: ReplayRequest,
  actor: Actor | undefined,
  now: Date,
): ReplayTimes | null {
  if (query.asOf === undefined && query.occurredBefore === undefined) return null;
  if (actor?.role !== 'auditor' && actor?.role !== 'admin') {
    throw new ApiError('FORBIDDEN', 'asOf and occurredBefore are for the auditor role');
  }
  const asOf = query.asOf === undefined ? undefined : new Date(query.asOf);
  if (asOf && asOf.getTime() > now.getTime()) {
    throw new ApiError('VALIDATION_FAILED', ['asOf: must not be in the future']);
  }
  const occurredBefore =
    query.occurredBefore === undefined ? undefined : new Date(query.occurredBefore);
  return { asOf, occurredBefore };
}
