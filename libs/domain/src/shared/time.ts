// Times in events are ISO-8601 UTC strings; status rules work in epoch milliseconds.
import { RuleViolated } from './errors';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** An instant given as an ISO-8601 string with a zone, or as epoch milliseconds. */
export type Instant = string | number;

export function toMillis(at: Instant): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(at)}`);
  return ms;
}

export function toIso(at: Instant): string {
  return new Date(toMillis(at)).toISOString();
}

/** Normalises a time from a command to UTC ISO; an unparsable one is a broken rule, not a crash. */
export function normaliseTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new RuleViolated(`${field} is not a valid time: ${value}`);
  return new Date(ms).toISOString();
}

export function normaliseOptionalTime(
  value: string | null | undefined,
  field: string,
): string | null {
  return value === null || value === undefined ? null : normaliseTime(value, field);
}
