// The one status rule (API.md "Obligation status"): shared by the live projection, the deadline worker and as-of replays.
import type { AgreementState } from '../agreements/agreement.decider';
import { DAY_MS, type Instant, toIso, toMillis, WEEK_MS } from '../shared/time';
import type { ObligationRecord } from './obligation.decider';
import type { RatePeriod } from './obligation.events';

const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

/** In API.md's order of precedence, first wins. */
export const OBLIGATION_STATUSES = [
  'waived',
  'suspended',
  'breached',
  'fulfilled',
  'fulfilled_late',
  'disputed',
  'blocked',
  'overdue',
  'in_progress',
  'pending',
] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

export const isFulfilledStatus = (status: ObligationStatus): boolean =>
  status === 'fulfilled' || status === 'fulfilled_late';

/** A condition's status as computed at the same `at` (see computeAgreementObligationStatuses). */
export interface ConditionStatus {
  readonly obligationId: string;
  readonly status: ObligationStatus;
  readonly fulfilledAt: string | null;
}

/** The anchors a relative deadline may hang on; null while unknown (a phase not started). */
export interface StatusAnchors {
  readonly agreementEffectiveAt: string | null;
  /** `startedAt` of the obligation's own phase. */
  readonly phaseStartedAt: string | null;
}

export interface ObligationStatusInputs {
  readonly anchors: StatusAnchors;
  /** The obligation's conditions; a condition missing from the list counts as not fulfilled. */
  readonly conditions: readonly ConditionStatus[];
}

export interface RateWindow {
  readonly start: string;
  readonly end: string;
  readonly delivered: number;
  readonly target: number;
  readonly met: boolean;
}

export interface ObligationStatusResult {
  readonly status: ObligationStatus;
  /** The effective deadline: latest amendment, else dueAt, else anchor + hours; null while the anchor has not happened. */
  readonly effectiveDueAt: string | null;
  /** The first effective deadline, before any amendment. */
  readonly originalDueAt: string | null;
  /** Units delivered by `at` (all time, for rate obligations too). */
  readonly delivered: number;
  /** delivered / target for a one-off target; null without a target and for rate obligations. */
  readonly progress: number | null;
  readonly fulfilledAt: string | null;
  readonly late: boolean;
  /** Conditions not fulfilled at `at`. */
  readonly unmetConditions: readonly string[];
  /** The next moment the result can change without a new event; null if none. */
  readonly nextCheckAt: string | null;
  /**
   * Rate obligations only (null otherwise): complete windows in which the obligation was in force
   * throughout (see computeObligationStatus), most recent first, at most 366.
   */
  readonly windows: readonly RateWindow[] | null;
  /** Rate obligations only: met / counted windows over all counted windows; null while none is. */
  readonly windowComplianceRate: number | null;
}

export const MAX_LISTED_WINDOWS = 366;
// 1970-01-01 was a Thursday: the first Monday 00:00 UTC is four days later.
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** The first window boundary at or after `ms` (UTC midnight, or Monday 00:00 UTC for weeks). */
export function firstWindowStartAtOrAfter(ms: number, per: RatePeriod): number {
  const period = per === 'day' ? DAY_MS : WEEK_MS;
  const offset = per === 'day' ? 0 : FIRST_MONDAY_MS;
  return Math.ceil((ms - offset) / period) * period + offset;
}

interface TimedVerification {
  readonly outcome: 'verified' | 'disputed' | 'breached';
  readonly at: number;
  readonly seq: number;
}

/**
 * Status of one obligation at `at`, from its recorded facts, its anchors and its conditions' statuses.
 * Only facts known at `at` count: deliveries, claims and verifications by their occurredAt (a verification
 * without one by its recordedAt), amendments and suspend/resume/waive by their recordedAt. That makes an
 * `occurredBefore` replay a plain call with an earlier `at`.
 */
export function computeObligationStatus(
  obligation: ObligationRecord,
  at: Instant,
  inputs: ObligationStatusInputs,
): ObligationStatusResult {
  const t = toMillis(at);
  const later: number[] = [];
  const knownAt = (time: string): boolean => {
    const ms = toMillis(time);
    if (ms <= t) return true;
    later.push(ms);
    return false;
  };

  const deliveries = obligation.deliveries
    .filter((delivery) => knownAt(delivery.occurredAt))
    .map((delivery, seq) => ({
      quantity: delivery.quantity,
      at: toMillis(delivery.occurredAt),
      seq,
    }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
  const claims = obligation.claims.filter((claim) => knownAt(claim.occurredAt));
  const verifications: TimedVerification[] = obligation.verifications
    .map((verification, seq) => ({
      outcome: verification.outcome,
      at: toMillis(verification.occurredAt ?? verification.recordedAt),
      seq,
    }))
    .filter((verification) => knownAt(toIso(verification.at)))
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
  const amendments = obligation.deadlineAmendments.filter((amendment) =>
    knownAt(amendment.recordedAt),
  );
  const stateChanges = obligation.stateChanges.filter((change) => knownAt(change.recordedAt));

  const waived = stateChanges.some((change) => change.action === 'waive');
  const lastSuspendOrResume = [...stateChanges]
    .reverse()
    .find((change) => change.action !== 'waive');
  const suspended = lastSuspendOrResume?.action === 'suspend';
  const breached = verifications.some((verification) => verification.outcome === 'breached');

  // Conditions
  const conditionById = new Map(
    inputs.conditions.map((condition) => [condition.obligationId, condition]),
  );
  const fulfilledConditionAt = (id: string): number | null => {
    const condition = conditionById.get(id);
    if (!condition || !isFulfilledStatus(condition.status)) return null;
    const ms = condition.fulfilledAt === null ? t : toMillis(condition.fulfilledAt);
    return ms <= t ? ms : null;
  };
  const unmetConditions = obligation.conditions.filter((id) => fulfilledConditionAt(id) === null);

  // Deadlines
  const anchorMs = ((): number | null => {
    const dueWithin = obligation.dueWithin;
    if (dueWithin === null) return null;
    let anchor: number | null = null;
    if (dueWithin.after === 'agreement_effective') {
      anchor =
        inputs.anchors.agreementEffectiveAt === null
          ? null
          : toMillis(inputs.anchors.agreementEffectiveAt);
    } else if (dueWithin.after === 'phase_start') {
      anchor =
        inputs.anchors.phaseStartedAt === null ? null : toMillis(inputs.anchors.phaseStartedAt);
    } else if (unmetConditions.length === 0 && obligation.conditions.length > 0) {
      anchor = Math.max(...obligation.conditions.map((id) => fulfilledConditionAt(id) as number));
    }
    if (anchor === null) return null;
    if (anchor > t) {
      later.push(anchor);
      return null;
    }
    return anchor;
  })();
  const originalDueMs =
    obligation.dueAt !== null
      ? toMillis(obligation.dueAt)
      : obligation.dueWithin !== null && anchorMs !== null
        ? anchorMs + obligation.dueWithin.hours * 3_600_000
        : null;
  const latestAmendment = amendments[amendments.length - 1];
  const deadline = latestAmendment ? toMillis(latestAmendment.dueAt) : originalDueMs;
  const absoluteDeadline = latestAmendment
    ? toMillis(latestAmendment.dueAt)
    : obligation.dueAt !== null
      ? toMillis(obligation.dueAt)
      : null;
  const absoluteDeadlinePassed = absoluteDeadline !== null && absoluteDeadline < t;
  const blocked = unmetConditions.length > 0 && !absoluteDeadlinePassed;

  const delivered = deliveries.reduce((sum, delivery) => sum + delivery.quantity, 0);
  const target = obligation.target;
  const activity = deliveries.length > 0 || claims.length > 0;
  const base = {
    effectiveDueAt: toIsoOrNull(deadline),
    originalDueAt: toIsoOrNull(originalDueMs),
    delivered,
    unmetConditions,
  };
  const nextCheck = (candidates: ReadonlyArray<number | null>): string | null => {
    const future = [...candidates, ...later].filter((ms): ms is number => ms !== null && ms > t);
    return future.length === 0 ? null : toIso(Math.min(...future));
  };

  if (target?.per !== undefined) {
    // Rate obligation (API.md "Obligation status"): after rules 1-3, `overdue` while the last
    // complete window fell short, else `in_progress` (before any window is complete too, before
    // the due moment and with conditions unmet); never pending, blocked or fulfilled.
    const per = target.per;
    const period = per === 'day' ? DAY_MS : WEEK_MS;
    const hasNoDeadline = obligation.dueAt === null && obligation.dueWithin === null;
    // Without any deadline a rate runs from the agreement's entry into force.
    const effectiveAtMs =
      inputs.anchors.agreementEffectiveAt === null
        ? null
        : toMillis(inputs.anchors.agreementEffectiveAt);
    const entryIntoForce = ((): number | null => {
      if (!hasNoDeadline || effectiveAtMs === null) return null;
      if (effectiveAtMs > t) {
        later.push(effectiveAtMs);
        return null;
      }
      return effectiveAtMs;
    })();
    const dueMoment = hasNoDeadline && latestAmendment === undefined ? entryIntoForce : deadline;

    // A window counts (is listed and rated) only if the obligation was in force for all of it:
    // not if it overlaps a suspension (from a suspend to the next resume, open while none
    // followed) nor if it ends after a waiver; a breach does not stop the windows. State changes
    // count from their recordedAt, as for the status. So while suspended or once waived no
    // window can complete without a new event, and time needs no check.
    const suspensions: Array<{ from: number; to: number }> = [];
    let suspendedSince: number | null = null;
    let waivedAtMs: number | null = null;
    for (const change of stateChanges) {
      const ms = toMillis(change.recordedAt);
      if (change.action === 'suspend') suspendedSince ??= ms;
      else if (change.action === 'waive') waivedAtMs ??= ms;
      else if (suspendedSince !== null) {
        suspensions.push({ from: suspendedSince, to: ms });
        suspendedSince = null;
      }
    }
    if (suspendedSince !== null) suspensions.push({ from: suspendedSince, to: Infinity });
    const inForceThroughout = (start: number, end: number): boolean =>
      (waivedAtMs === null || end <= waivedAtMs) &&
      suspensions.every(({ from, to }) => to <= start || end <= from);

    const allWindows: RateWindow[] = [];
    let nextWindowEnd: number | null = null;
    if (dueMoment !== null) {
      const firstStart = firstWindowStartAtOrAfter(dueMoment, per);
      const complete = t >= firstStart ? Math.floor((t - firstStart) / period) : 0;
      const sums = new Array<number>(complete).fill(0);
      for (const delivery of deliveries) {
        const index = Math.floor((delivery.at - firstStart) / period);
        if (index >= 0 && index < complete) sums[index] += delivery.quantity;
      }
      for (let index = 0; index < complete; index += 1) {
        const start = firstStart + index * period;
        if (!inForceThroughout(start, start + period)) continue;
        allWindows.push({
          start: toIso(start),
          end: toIso(start + period),
          delivered: sums[index],
          target: target.quantity,
          met: sums[index] >= target.quantity,
        });
      }
      nextWindowEnd = firstStart + (complete + 1) * period;
    }
    const metCount = allWindows.filter((window) => window.met).length;
    const lastWindow = allWindows[allWindows.length - 1];
    const status: ObligationStatus = waived
      ? 'waived'
      : suspended
        ? 'suspended'
        : breached
          ? 'breached'
          : lastWindow !== undefined && !lastWindow.met
            ? 'overdue'
            : 'in_progress';
    // Windows keep closing for breached, in_progress and overdue obligations; only facts dated
    // later (`later`) can change a waived or suspended one.
    const windowsRun = status !== 'waived' && status !== 'suspended';
    return {
      ...base,
      effectiveDueAt: toIsoOrNull(dueMoment),
      // The first effective deadline: the registered one, else the entry into force.
      originalDueAt: toIsoOrNull(hasNoDeadline ? entryIntoForce : originalDueMs),
      status,
      progress: null,
      fulfilledAt: null,
      late: false,
      nextCheckAt: nextCheck([windowsRun ? nextWindowEnd : null]),
      windows: allWindows.slice(-MAX_LISTED_WINDOWS).reverse(),
      windowComplianceRate: allWindows.length === 0 ? null : metCount / allWindows.length,
    };
  }

  // One-off obligation.
  let quantityReachedAt: number | null = null;
  if (target !== null) {
    let cumulative = 0;
    for (const delivery of deliveries) {
      cumulative += delivery.quantity;
      if (cumulative >= target.quantity) {
        quantityReachedAt = delivery.at;
        break;
      }
    }
  }
  // Which verdict is the latest (a dispute open, or settled by a later `verified`) goes by the
  // order they were recorded: a verifier's later word settles an earlier one whatever occurredAt
  // it gives (the release it verifies may be days old). The moment of fulfilment is the verified
  // verification's occurredAt.
  const verdicts = verifications
    .filter((verification) => verification.outcome !== 'breached')
    .sort((a, b) => a.seq - b.seq);
  const latestVerdict = verdicts[verdicts.length - 1];
  const openDispute = latestVerdict?.outcome === 'disputed';
  let fulfilledMs: number | null = null;
  if (!openDispute) {
    const lastDisputeIndex = verdicts.map((verdict) => verdict.outcome).lastIndexOf('disputed');
    const firstVerified = verdicts.find(
      (verdict, index) => index > lastDisputeIndex && verdict.outcome === 'verified',
    );
    // After a dispute only a verification settles it; before any, the earlier of target reached and verified.
    const candidates = [
      firstVerified?.at ?? null,
      lastDisputeIndex === -1 ? quantityReachedAt : null,
    ].filter((ms): ms is number => ms !== null);
    fulfilledMs = candidates.length === 0 ? null : Math.min(...candidates);
  }
  const late = fulfilledMs !== null && deadline !== null && fulfilledMs > deadline;
  const status: ObligationStatus = waived
    ? 'waived'
    : suspended
      ? 'suspended'
      : breached
        ? 'breached'
        : fulfilledMs !== null
          ? late
            ? 'fulfilled_late'
            : 'fulfilled'
          : openDispute
            ? 'disputed'
            : blocked
              ? 'blocked'
              : deadline !== null && deadline < t
                ? 'overdue'
                : activity
                  ? 'in_progress'
                  : 'pending';
  const deadlineMatters = status === 'blocked' || status === 'in_progress' || status === 'pending';
  return {
    ...base,
    status,
    progress: target === null ? null : delivered / target.quantity,
    fulfilledAt: toIsoOrNull(fulfilledMs),
    late,
    // The deadline itself is not yet overdue ("before t"): check again one millisecond after it.
    nextCheckAt:
      status === 'waived'
        ? null
        : nextCheck([deadlineMatters && deadline !== null ? deadline + 1 : null]),
    windows: null,
    windowComplianceRate: null,
  };
}

/** The anchors of every phase of an agreement, from its folded stream. */
export interface AgreementAnchors {
  readonly agreementEffectiveAt: string | null;
  readonly phaseStartedAt: Readonly<Record<string, string | null>>;
}

export function agreementAnchors(agreement: AgreementState): AgreementAnchors {
  if (agreement.stage !== 'registered') return { agreementEffectiveAt: null, phaseStartedAt: {} };
  return {
    agreementEffectiveAt: agreement.effectiveAt,
    phaseStartedAt: Object.fromEntries(
      agreement.phases.map((phase) => [phase.key, phase.startedAt]),
    ),
  };
}

export function anchorsForPhase(anchors: AgreementAnchors, phaseKey: string): StatusAnchors {
  return {
    agreementEffectiveAt: anchors.agreementEffectiveAt,
    phaseStartedAt: anchors.phaseStartedAt[phaseKey] ?? null,
  };
}

/**
 * Statuses of all obligations of one agreement at `at`, conditions first (a condition outside the list, or
 * caught in a cycle, counts as unfulfilled). The convenient entry point for as-of replays and the worker.
 */
export function computeAgreementObligationStatuses(
  obligations: readonly ObligationRecord[],
  at: Instant,
  anchors: AgreementAnchors,
): Map<string, ObligationStatusResult> {
  const byId = new Map(obligations.map((obligation) => [obligation.id, obligation]));
  const results = new Map<string, ObligationStatusResult>();
  const inProgress = new Set<string>();
  const visit = (obligation: ObligationRecord): ObligationStatusResult => {
    const done = results.get(obligation.id);
    if (done) return done;
    inProgress.add(obligation.id);
    const conditions: ConditionStatus[] = [];
    for (const id of obligation.conditions) {
      const condition = byId.get(id);
      if (!condition || inProgress.has(id)) continue;
      const result = visit(condition);
      conditions.push({ obligationId: id, status: result.status, fulfilledAt: result.fulfilledAt });
    }
    const result = computeObligationStatus(obligation, at, {
      anchors: anchorsForPhase(anchors, obligation.phaseKey),
      conditions,
    });
    inProgress.delete(obligation.id);
    results.set(obligation.id, result);
    return result;
  };
  obligations.forEach(visit);
  return results;
}
