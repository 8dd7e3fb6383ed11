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
 * retracted > discounted > confirmed > contested > corroborated > reported.
 * Between confirmed and discounted the verifier's latest word counts: a report discounted and later
 * confirmed on new evidence is confirmed (the earlier verdict stays in history).
 */
export function computeVerificationLevel(
  violation: Pick<ViolationRecord, 'retraction' | 'verifications' | 'disputes' | 'sources'>,
): VerificationLevel {
  if (violation.retraction !== null) return 'retracted';
  const latestVerdict = violation.verifications[violation.verifications.length - 1];
  if (latestVerdict?.outcome === 'discounted') return 'discounted';
  if (latestVerdict?.outcome === 'confirmed') return 'confirmed';
  if (violation.disputes.length > 0) return 'contested';
  if (independentSourceCount(violation) >= 2) return 'corroborated';
  return 'reported';
}

/** The note of the latest confirmation or discount, for the read model's `verificationNote`. */
export function verificationNoteOf(
  violation: Pick<ViolationRecord, 'verifications'>,
): string | null {
  return violation.verifications[violation.verifications.length - 1]?.note ?? null;
}
