// Status that moves with time: obligations whose next check time has passed are recomputed (with
// every obligation of their agreement, so dependants follow their conditions) with no new event.
import type { Pool, PoolClient } from 'pg';
import { lockAgreementAnchors, recomputeAgreements } from './obligation-rows';

const AGREEMENTS_PER_TRANSACTION = 200;

/**
 * Recomputes the obligations whose `next_status_check_at` is at or before `now`. Given a Pool it
 * runs its own transactions; given a client, call it inside your transaction. Returns how many
 * statuses changed.
 */
export async function recomputeDueObligations(db: Pool | PoolClient, now: Date): Promise<number> {
  if (!isPool(db))
    return recomputeDueBatch(db, now, Number.MAX_SAFE_INTEGER).then((r) => r.changed);
  const client = await db.connect();
  let changed = 0;
  try {
    for (let round = 0; round < 1000; round++) {
      await client.query('BEGIN');
      try {
        const result = await recomputeDueBatch(client, now, AGREEMENTS_PER_TRANSACTION);
        await client.query('COMMIT');
        changed += result.changed;
        if (result.agreements < AGREEMENTS_PER_TRANSACTION) break;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    client.release();
  }
  return changed;
}

async function recomputeDueBatch(
  client: PoolClient,
  now: Date,
  limit: number,
): Promise<{ agreements: number; changed: number }> {
  const { rows } = await client.query<{ agreement_id: string }>(
    `SELECT DISTINCT agreement_id FROM proj_obligations
      WHERE next_status_check_at <= $1 ORDER BY agreement_id LIMIT $2`,
    [now, limit],
  );
  if (rows.length === 0) return { agreements: 0, changed: 0 };
  const anchors = await lockAgreementAnchors(
    client,
    rows.map((r) => r.agreement_id),
  );
  const changed = await recomputeAgreements(client, anchors, now);
  return { agreements: rows.length, changed };
}

/** The earliest moment some obligation's status may change without a new event (null: none). */
export async function nextStatusCheckAt(db: Pick<Pool, 'query'>): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    'SELECT min(next_status_check_at) AS at FROM proj_obligations',
  );
  return rows[0]?.at ?? null;
}

function isPool(db: Pool | PoolClient): db is Pool {
  return typeof (db as Pool).connect === 'function' && !('release' in db);
}
