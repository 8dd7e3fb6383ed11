// Job names of the `projections` and `obligations` queues (QUEUES in @app/shared) and the helpers
// producers call. They belong in libs/shared/src/queues beside JOBS.sealLedger; they live here
// until that file can be changed.
import type { Queue } from 'bullmq';

export const PROJECTION_JOBS = {
  /** Drain the feed into every projection; one deduplicated job id. */
  catchUp: 'catch-up',
  /** Job scheduler id and name of the periodic catch-up that bounds a missed wake-up's delay. */
  sweep: 'projections-sweep',
  /** One catch-up shortly after a wake-up job, for wake-ups deduplicated while it ran. */
  followUp: 'catch-up-follow-up',
} as const;

export const OBLIGATION_JOBS = {
  /** Recompute obligations whose status check time has passed (delayed to that moment). */
  checkStatuses: 'check-statuses',
  /** Job scheduler id and name of the periodic status sweep. */
  sweep: 'obligations-sweep',
} as const;

export const PROJECTION_SWEEP_EVERY_MS = 1000;
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
