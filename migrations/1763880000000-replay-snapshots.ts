import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replay snapshots: an agreement's projection rows as folded from its events up to a commit-safe
 * feed position, so an as-of replay restores them and folds only the events after. A snapshot
 * names what it summarises (how many of the agreement's events, and sha256 over their stored
 * hashes in feed order) and how it was folded (`steps`), so verify can check it against the
 * events and fold it again from nothing. Rows are kept in chunks: one jsonb value per table would
 * reach PostgreSQL's size limit on a large agreement.
 *
 * `replay_snapshot_feed` and `replay_snapshot_counts` are the snapshot job's own feed checkpoint
 * and per-agreement event counts: which agreements have gained enough events since their last
 * snapshot, found by reading only the feed's new events.
 */
export class ReplaySnapshots1763880000000 implements MigrationInterface {
  name = 'ReplaySnapshots1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE replay_snapshots (
        snapshot_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agreement_id     text NOT NULL,
        -- The feed position of the last event covered: the agreement's events up to it.
        transaction_id   xid8 NOT NULL,
        global_position  bigint NOT NULL,
        events_count     integer NOT NULL CHECK (events_count > 0),
        events_digest    bytea NOT NULL,
        max_recorded_at  timestamptz NOT NULL,
        -- Statuses were computed at this time (max_recorded_at).
        at               timestamptz NOT NULL,
        -- { name: { version, tables: { table: column signature } } } of the projections covered.
        projections      jsonb NOT NULL,
        -- Chunks per table, and the identity sequences' state to restore.
        tables           jsonb NOT NULL,
        -- How the rows were folded from nothing: [{ transactionId, globalPosition, at }, ...].
        steps            jsonb NOT NULL,
        base_snapshot_id bigint NULL,
        rejected_at      timestamptz NULL,
        rejected_reason  text NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agreement_id, transaction_id, global_position)
      );
      CREATE INDEX replay_snapshots_usable_idx
        ON replay_snapshots (agreement_id, transaction_id DESC, global_position DESC)
        WHERE rejected_at IS NULL;

      CREATE TABLE replay_snapshot_rows (
        snapshot_id bigint NOT NULL REFERENCES replay_snapshots ON DELETE CASCADE,
        table_name  text NOT NULL,
        chunk       integer NOT NULL,
        rows        jsonb NOT NULL,
        PRIMARY KEY (snapshot_id, table_name, chunk)
      );

      CREATE TABLE replay_snapshot_feed (
        singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        transaction_id  xid8 NOT NULL DEFAULT '0'::xid8,
        global_position bigint NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO replay_snapshot_feed DEFAULT VALUES;

      CREATE TABLE replay_snapshot_counts (
        agreement_id   text PRIMARY KEY,
        events_counted bigint NOT NULL DEFAULT 0
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS replay_snapshot_counts;
      DROP TABLE IF EXISTS replay_snapshot_feed;
      DROP TABLE IF EXISTS replay_snapshot_rows;
      DROP TABLE IF EXISTS replay_snapshots;
    `);
  }
}
