import type { Queue } from 'bullmq';
import type Redis from 'ioredis';

export { closeQueue } from './close-queue';
export { closeWorkerAndQueues } from './close-worker';
export { QUEUE_ERROR_REPORT_EVERY_MS, reportQueueErrors } from './queue-errors';

// Queue names and job payloads, shared by producers (api) and consumers (worker).
export const QUEUES = {
  projections: 'projections',
  obligations: 'obligations',
  ledger: 'ledger',
  snapshots: 'snapshots',
} as const;

export const JOBS = {
  sealLedger: 'seal-ledger',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Registers a repeating job and keeps it registered: a Redis that restarts without persistence
 * forgets job schedulers, so the schedule is set again every time the connection is ready.
 */
export async function keepScheduled(
  queue: { upsertJobScheduler: Queue['upsertJobScheduler'] },
  redis: Pick<Redis, 'on'>,
  id: string,
  everyMs: number,
): Promise<void> {
  const upsert = () =>
    queue.upsertJobScheduler(
      id,
      { every: everyMs },
      { name: id, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  redis.on('ready', () => void upsert().catch(() => undefined));
  await upsert();
}
