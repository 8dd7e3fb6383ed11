import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rebuilds without downtime: a projection is rebuilt into copies of its tables in a shadow schema
 * (`rebuild_<name>`), from the start of the feed, while the live tables keep serving reads and
 * keep catching up. This row is the shadow's checkpoint, so a rebuild whose worker died resumes
 * where its last committed batch ended.
 */
export class ProjectionRebuilds1763840000000 implements MigrationInterface {
  name = 'ProjectionRebuilds1763840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_rebuilds (
        name            text PRIMARY KEY,
        version         integer NOT NULL,
        shadow_schema   text NOT NULL,
        transaction_id  xid8 NOT NULL DEFAULT '0'::xid8,
        global_position bigint NOT NULL DEFAULT 0,
        events_read     bigint NOT NULL DEFAULT 0,
        started_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE projection_rebuilds');
  }
}
