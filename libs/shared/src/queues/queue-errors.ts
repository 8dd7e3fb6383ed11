/** How often, at most, a reporter logs while errors keep coming (a Redis outage: every retry). */
export const QUEUE_ERROR_REPORT_EVERY_MS = 10_000;

interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Logs the 'error' events of BullMQ queues and workers through `logger`: the first at once, then
 * at most one line every QUEUE_ERROR_REPORT_EVERY_MS for all of them together, with the count of
 * those left out. Without a listener BullMQ writes each one to stderr as a raw stack trace (and a
 * Redis outage makes one per reconnect attempt, per queue and worker), outside the JSON logs.
 */
export function reportQueueErrors(
  logger: { warn(message: string): unknown },
  emitters: readonly ErrorEmitter[],
  now: () => number = Date.now,
): void {
  let lastReport = Number.NEGATIVE_INFINITY;
  let leftOut = 0;
  const report = (err: Error) => {
    const at = now();
    if (at - lastReport < QUEUE_ERROR_REPORT_EVERY_MS) {
      leftOut += 1;
      return;
    }
    const more = leftOut > 0 ? ` (${leftOut} more since the last report)` : '';
    logger.warn(`queue: ${err.message}${more}`);
    lastReport = at;
    leftOut = 0;
  };
  for (const emitter of emitters) emitter.on('error', report);
}
