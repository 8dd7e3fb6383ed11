import type { Worker } from 'bullmq';

/**
 * Closes a BullMQ worker: gracefully while its Redis answers (the jobs in hand finish and their
 * outcome is recorded), at once when it does not. Then nothing can be recorded anyway, and a
 * graceful close would wait for Redis to come back: the QUIT of the worker's blocking connection
 * queues until it does, so a worker told to stop during an outage hung until killed. What a job
 * had in hand in PostgreSQL still commits or rolls back on its own; the job, never marked done,
 * is taken up again as stalled, and every job of this service can run twice.
 */
export async function closeWorker(worker: Worker, redis: { status: string }): Promise<void> {
  await worker.close(redis.status !== 'ready');
}
