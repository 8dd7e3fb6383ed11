import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline as a human account (timeline projection version 2): who recorded each event, the
 * sources it cites, what it is about, and the earlier entry of its stream it corrects or answers,
 * found by stream version. Rows projected before stay valid with the defaults (no recorder,
 * sources, subject or link; no stream version, and NULLs never collide in the key) until the
 * worker's rebuild of the new version replaces them. The key (one entry per stream version) serves
 * the projection's look-up of earlier entries of a stream and the read's resolution of a link to
 * its feed position; being a key, it is kept on the copies rebuilds and replays build into.
 */
export class TimelineAccount1763860000000 implements MigrationInterface {
  name = 'TimelineAccount1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proj_timeline
        ADD COLUMN stream_version integer NULL,
        ADD COLUMN recorded_by    jsonb NULL,
        ADD COLUMN sources        jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN subject        jsonb NULL,
        ADD COLUMN corrects       jsonb NULL;
      ALTER TABLE proj_timeline
        ADD CONSTRAINT proj_timeline_stream_version_key UNIQUE (stream_id, stream_version);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proj_timeline
        DROP CONSTRAINT proj_timeline_stream_version_key,
        DROP COLUMN corrects,
        DROP COLUMN subject,
        DROP COLUMN sources,
        DROP COLUMN recorded_by,
        DROP COLUMN stream_version;
    `);
  }
}
