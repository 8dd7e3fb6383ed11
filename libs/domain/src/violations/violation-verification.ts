// The one verification-level rule (API.md "Verification level").
import { independenceGroupOf } from '../shared/source';
import type { ViolationRecord } from './violation.decider';

/** In API.md's order of precedence, first wins. */
export const VERIFICATION_LEVELS = [
  'retracted',
  'discounted',
  'confirmed',
  'contested',
  'corroborated',
  'reported',
] as const;
export type VerificationLevel = (typeof VERIFICATION_LEVELS)[number];

/** Number of distinct independence groups among the sources (a source's group defaults to its name). */
export function independentSourceCount(violation: Pick<ViolationRecord, 'sources'>): number {
  return new Set(violation.sources.map(independenceGroupOf)).size;
}

/**
 * retracted > discounted > confirmed > contested > corroborated > reported, the first that applies
 * (API.md "Verification level (computed), the first that applies"). A discount outranks a
 * confirmation whatever their order: a report discounted and later confirmed stays discounted.
 */
export function computeVerificationLevel(
  violation: Pick<ViolationRecord, 'retraction' | 'verifications' | 'disputes' | 'sources'>,
): VerificationLevel {
  if (violation.retraction !== null) return 'retracted';
  if (violation.verifications.some((v) => v.outcome === 'discounted')) return 'discounted';
  if (violation.verifications.some((v) => v.outcome === 'confirmed')) return 'confirmed';
  if (violation.disputes.length > 0) return 'contested';
  if (independentSourceCount(violation) >= 2) return 'corroborated';
  return 'reported';
}

/**
 * The read model's `verificationNote`: the note of the verdict that sets the level, the latest
 * discount if there is one, else the latest confirmation (for a retracted report, the verdict
 * that would set it but for the retraction); `null` when no verifier has spoken.
 */
export function verificationNoteOf(
  violation: Pick<ViolationRecord, 'verifications'>,
): string | null {
  const latest = (outcome: 'confirmed' | 'discounted') =>
    [...violation.verifications].reverse().find((v) => v.outcome === outcome);
  return (latest('discounted') ?? latest('confirmed'))?.note ?? null;
}
