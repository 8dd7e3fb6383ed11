import { ApiError } from '../common/api-error';

/** The read functions answer null for an unknown id: that is a 404. */
export function foundOr404<T>(value: T | null, what: string): T {
  if (value === null) throw new ApiError('NOT_FOUND', `no ${what}`);
  return value;
}
