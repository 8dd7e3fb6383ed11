import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline becomes an index of the feed by agreement (timeline projection version 3): the
 * sentence, recorder, sources, subject and link of each entry are written when a page is read,
 * from the event itself and the earlier events of its stream, instead of being stored. Writing
 * them was most of a rebuild's cost for a projection that handles every event: JSON cells to
 * encode and parse, an earlier-entry lookup per batch, and the (stream_id, stream_version) key to
 * maintain, which the read now finds on the events table. The rows that remain are exactly what
 * version 3 writes, so reads stay right before the worker's rebuild of the new version.
 */
export class TimelineIndex1763910000000 implements MigrationInterface {
  name = 'TimelineIndex1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proj_timeline
        DROP CONSTRAINT proj_timeline_stream_version_key,
        DROP COLUMN summary,
        DROP COLUMN stream_version,
        DROP COLUMN recorded_by,
        DROP COLUMN sources,
        DROP COLUMN subject,
        DROP COLUMN corrects;
    `);
  }

  /** The columns come back empty; the stored version (3) differs from version 2's, so it rebuilds. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proj_timeline
        ADD COLUMN summary        text NOT NULL DEFAULT '',
        ADD COLUMN stream_version integer NULL,
        ADD COLUMN recorded_by    jsonb NULL,
        ADD COLUMN sources        jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN subject        jsonb NULL,
        ADD COLUMN corrects       jsonb NULL;
      ALTER TABLE proj_timeline
        ADD CONSTRAINT proj_timeline_stream_version_key UNIQUE (stream_id, stream_version);
    `);
  }
}
