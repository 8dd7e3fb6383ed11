// Job names of the `projections` and `obligations` queues (QUEUES in @app/shared) and the helpers
// producers call.
import type { Queue } from 'bullmq';

export const PROJECTION_JOBS = {
  /** Drain the feed into every projection; one deduplicated job id. */
  catchUp: 'catch-up',
  /** Job scheduler id and name of the periodic catch-up that bounds a missed wake-up's delay. */
  sweep: 'projections-sweep',
  /** One catch-up shortly after a wake-up job, for wake-ups deduplicated while it ran. */
  followUp: 'catch-up-follow-up',
  /** Rebuild one projection into shadow tables and swap it in; data: RebuildJobData. */
  rebuild: 'rebuild',
  /**
   * Job scheduler id and name of the periodic check that queues a rebuild for a projection left
   * rebuilding (or of an older version) with no rebuild job unfinished: its job was lost.
   */
  rebuildCheck: 'projections-rebuild-check',
} as const;

export interface RebuildJobData {
  projection: string;
  /**
   * Every projection the job rebuilds, together from one read of the feed (ProjectionRebuilder.
   * rebuildTogether); absent: `projection` alone. The worker's start-up rebuilds are one such job.
   */
  projections?: string[];
  /**
   * Why: an operator's request (always rebuilds), or the projection's version changing in code or
   * a rebuild left half-done (only the projections still due when the job runs are rebuilt: a
   * late or duplicate job finds nothing to do).
   */
  reason: 'requested' | 'version-changed' | 'resume';
}

/** The projections a rebuild job rebuilds. */
export function rebuildJobProjections(data: RebuildJobData): string[] {
  return data.projections ?? [data.projection];
}

/** Jobs still to run or running (a finished job no longer counts as "the" rebuild). */
const UNFINISHED_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'paused'] as const;

/**
 * Queues one rebuild of the projections (together when several), leaving out those an unfinished
 * rebuild job already covers: when that leaves none, the id of the job covering the first is
 * returned. Retries with backoff: a rebuild whose worker died resumes from its shadow checkpoint.
 * The jobs are listed in one Redis script (no job is missed moving between states), but two
 * requests at the same instant may both queue: the second job's rebuild then finds the rebuild
 * lock taken (RebuildInProgress, retried) or, unless requested, nothing left to do.
 */
export async function requestRebuild(
  queue: Pick<Queue, 'add' | 'getJobs'>,
  projections: string | readonly string[],
  reason: RebuildJobData['reason'],
): Promise<{ jobId: string; queued: boolean; projections: string[] }> {
  const names = typeof projections === 'string' ? [projections] : [...projections];
  const unfinished = (await queue.getJobs([...UNFINISHED_STATES])).filter(
    (j) => j.name === PROJECTION_JOBS.rebuild,
  );
  const coveredBy = (name: string) =>
    unfinished.find((j) => rebuildJobProjections(j.data as RebuildJobData).includes(name));
  const due = names.filter((name) => !coveredBy(name));
  if (due.length === 0) {
    const existing = coveredBy(names[0]);
    if (existing?.id) return { jobId: existing.id, queued: false, projections: [] };
  }
  const data: RebuildJobData = { projection: due[0], reason };
  if (due.length > 1) data.projections = due;
  const job = await queue.add(PROJECTION_JOBS.rebuild, data, {
    jobId: `${PROJECTION_JOBS.rebuild}-${due.join('+')}-${Date.now()}`,
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  });
  if (!job.id) throw new Error('BullMQ returned a job without an id');
  return { jobId: job.id, queued: true, projections: due };
}

export const OBLIGATION_JOBS = {
  /** Recompute obligations whose status check time has passed (delayed to that moment). */
  checkStatuses: 'check-statuses',
  /** Job scheduler id and name of the periodic status sweep. */
  sweep: 'obligations-sweep',
} as const;

export const PROJECTION_SWEEP_EVERY_MS = 1000;
export const REBUILD_CHECK_EVERY_MS = 60_000;
export const OBLIGATION_SWEEP_EVERY_MS = 1000;

/**
 * Wakes the projectors after an append. Never throws: with Redis down the write has succeeded and
 * the periodic sweep catches up. Returns whether the wake-up reached the queue.
 */
export async function wakeProjections(
  queue: Pick<Queue, 'add'>,
  timeoutMs = 1000,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const added = queue.add(
      PROJECTION_JOBS.catchUp,
      {},
      // A finished job must not keep its id, or the next wake-up with that id would be ignored.
      { jobId: PROJECTION_JOBS.catchUp, removeOnComplete: true, removeOnFail: true },
    );
    // If the timeout wins, a late failure of the add must not surface as an unhandled rejection.
    added.catch(() => undefined);
    await Promise.race([
      added,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('wake-up timed out')), timeoutMs);
        timer.unref();
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Schedules a status check at `at` (the earliest `next_status_check_at`). One job per moment: the
 * id carries the time, so scheduling the same moment twice adds one job.
 */
export async function scheduleStatusCheck(
  queue: Pick<Queue, 'add'>,
  at: Date,
  now: Date = new Date(),
): Promise<void> {
  const delay = Math.max(0, at.getTime() - now.getTime());
  await queue.add(
    OBLIGATION_JOBS.checkStatuses,
    {},
    {
      jobId: `${OBLIGATION_JOBS.checkStatuses}-${at.getTime()}`,
      delay,
      removeOnComplete: true,
      removeOnFail: 100,
    },
  );
}
