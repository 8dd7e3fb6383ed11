// Small guards shared by the deciders.
import { RuleViolated } from './errors';

export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RuleViolated(message);
}

export function ensureCount(value: number, field: string, max = 100_000): void {
  ensure(
    Number.isInteger(value) && value >= 0 && value <= max,
    `${field} must be an integer from 0 to ${max}`,
  );
}

export function ensureNotBlank(value: string, field: string): void {
  ensure(typeof value === 'string' && value.trim().length > 0, `${field} must not be blank`);
}

export function firstDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

/**
 * Every one of `ids` (references in a command) is among `known`, the ids they may resolve to
 * (supplied by the handler); else RULE_VIOLATED with `unknown(id)` for the first that is not.
 */
export function ensureAllKnown(
  ids: readonly string[],
  known: readonly string[] | undefined,
  what: string,
  unknown: (id: string) => string,
): void {
  if (ids.length === 0) return;
  const resolvable = requireContext(known, what);
  for (const id of ids) ensure(resolvable.includes(id), unknown(id));
}

/** A required piece of command context the handler forgot: a programming error, not a 4xx. */
export function requireContext<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`command context is missing ${what}`);
  return value;
}
