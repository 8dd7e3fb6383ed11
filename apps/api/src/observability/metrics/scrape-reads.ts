// The reads behind the scrape-time gauges, each bounded in time so that a scrape always answers.
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';

/** Prometheus gives up on a scrape after 10 s by default; a source gets a fraction of that. */
const SCRAPE_READ_TIMEOUT_MS = 2000;

/** The read's value, or null when it failed or took longer than a scrape can wait. */
export function boundedRead<T>(read: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${SCRAPE_READ_TIMEOUT_MS} ms`)),
      SCRAPE_READ_TIMEOUT_MS,
    );
  });
  return Promise.race([read, timeout])
    .catch(() => null)
    .finally(() => clearTimeout(timer));
}

/**
 * Age of the oldest transaction open on the PostgreSQL server, in any database: the feed only
 * returns events below the oldest running transaction of the whole server, so any of them can
 * hold projections back. Sessions of other roles show their transactions only to a superuser or
 * a member of pg_read_all_stats.
 */
export async function oldestOpenTransactionSeconds(pool: Pick<Pool, 'query'>): Promise<number> {
  const { rows } = await pool.query<{ seconds: number }>(
    `SELECT coalesce(greatest(0, extract(epoch FROM clock_timestamp() - min(xact_start))), 0)
              ::float8 AS seconds
       FROM pg_stat_activity
      WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
  );
  return rows[0].seconds;
}

export interface QueueJobCounts {
  queue: string;
  /** BullMQ state -> jobs; null when the queue could not be read. */
  counts: Record<string, number> | null;
}

export function queueJobCounts(queues: readonly Queue[]): Promise<QueueJobCounts[]> {
  return Promise.all(
    queues.map(async (queue) => ({
      queue: queue.name,
      counts: await boundedRead(queue.getJobCounts()),
    })),
  );
}
