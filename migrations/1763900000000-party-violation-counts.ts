import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports alleged against each party of an agreement, by verification level, with their
 * casualties: kept by the violations projection (version 3) with deltas like the daily stats, so
 * that the compliance answer looks its violation figures up by key instead of counting the
 * agreement's reports on every request (an index-only scan of thousands of rows at 1M events, the
 * larger part of the read's database time). Filled here from the projected reports, so answers
 * stay right until the worker's rebuild of the new version replaces the table; a level no report
 * is at has no row.
 *
 * The two indexes no read uses any more go: the covering index the compliance count scanned, and
 * the GIN index of related obligations (the obligation reads look counts up since version 2).
 * Every violation write maintained them.
 */
export class PartyViolationCounts1763900000000 implements MigrationInterface {
  name = 'PartyViolationCounts1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proj_party_violation_counts (
        agreement_id text NOT NULL,
        party_id     text NOT NULL,
        verification text NOT NULL,
        reports      integer NOT NULL,
        killed       bigint NOT NULL,
        injured      bigint NOT NULL,
        PRIMARY KEY (agreement_id, party_id, verification)
      );
      INSERT INTO proj_party_violation_counts
             (agreement_id, party_id, verification, reports, killed, injured)
      SELECT agreement_id, alleged_party_id, verification, count(*), sum(killed), sum(injured)
        FROM proj_violations
       GROUP BY agreement_id, alleged_party_id, verification;
      DROP INDEX proj_violations_compliance_idx;
      DROP INDEX proj_violations_related_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX proj_violations_related_idx ON proj_violations USING gin (related_obligation_ids);
      CREATE INDEX proj_violations_compliance_idx
        ON proj_violations (agreement_id, alleged_party_id, verification) INCLUDE (killed, injured);
      DROP TABLE IF EXISTS proj_party_violation_counts;
    `);
  }
}
