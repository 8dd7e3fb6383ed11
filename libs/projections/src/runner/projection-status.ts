// GET /v1/admin/projections: where each projection stands against the committed feed.
import type { Pool } from 'pg';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../projections';

export interface ProjectionStatus {
  name: string;
  /**
   * `rebuilding` while a rebuild runs, and also while the checkpoint's version is not the one in
   * code: live catch-up leaves such a projection alone until its rebuild swaps in.
   */
  state: 'live' | 'rebuilding';
  /** The version its tables were built by (the checkpoint's). */
  version: number;
  /** global_position of the last feed event the projection has passed. */
  position: number;
  /** Committed feed events after the checkpoint. */
  lagEvents: number;
  /** Age of the oldest committed event not yet applied; 0 when caught up. */
  lagSeconds: number;
  updatedAt: Date;
  lastAppliedAt: Date | null;
}

export async function projectionStatus(
  pool: Pick<Pool, 'query'>,
  projections: readonly Pick<Projection, 'name' | 'version'>[] = PROJECTIONS,
): Promise<ProjectionStatus[]> {
  const versionInCode = new Map(projections.map((p) => [p.name, p.version]));
  const { rows } = await pool.query<{
    name: string;
    state: 'live' | 'rebuilding';
    version: number;
    global_position: string;
    lag_events: string;
    oldest_pending: Date | null;
    now: Date;
    updated_at: Date;
    last_applied_at: Date | null;
  }>(
    `SELECT c.name, c.state, c.version, c.global_position::text, c.updated_at, c.last_applied_at,
            pending.lag_events::text, pending.oldest_pending, now() AS now
       FROM projection_checkpoints c
       CROSS JOIN LATERAL (
         SELECT count(*) AS lag_events, min(e.recorded_at) AS oldest_pending
           FROM events e
          WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
            AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ) pending
      ORDER BY c.name`,
  );
  return rows.map((r) => ({
    name: r.name,
    state:
      r.state === 'live' && (versionInCode.get(r.name) ?? r.version) === r.version
        ? 'live'
        : 'rebuilding',
    version: r.version,
    position: Number(r.global_position),
    lagEvents: Number(r.lag_events),
    lagSeconds:
      r.oldest_pending === null
        ? 0
        : Math.max(0, (r.now.getTime() - r.oldest_pending.getTime()) / 1000),
    updatedAt: r.updated_at,
    lastAppliedAt: r.last_applied_at,
  }));
}
