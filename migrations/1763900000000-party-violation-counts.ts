import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two count tables kept by the violations projection (version 3) with deltas like the daily stats,
 * so that reads look their violation figures up by key instead of counting an agreement's reports
 * on every request (thousands of rows an agreement at 1M events):
 * - proj_party_violation_counts: the reports alleged against each party, by verification level,
 *   with their casualties (the compliance answer; its count was the larger part of that read's
 *   database time). A level no report is at has no row.
 * - proj_agreement_violation_totals: an agreement's reports and when one last changed (the
 *   agreement read counted them and took their latest change for every agreement of a page: half
 *   a second for a page of 100 agreements).
 * Filled here from the projected reports, so answers stay right until the worker's rebuild of the
 * new version replaces the tables.
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
      CREATE TABLE proj_agreement_violation_totals (
        agreement_id text PRIMARY KEY,
        reports      integer NOT NULL,
        updated_at   timestamptz NOT NULL
      );
      INSERT INTO proj_agreement_violation_totals (agreement_id, reports, updated_at)
      SELECT agreement_id, count(*), max(updated_at) FROM proj_violations GROUP BY agreement_id;
      DROP INDEX proj_violations_compliance_idx;
      DROP INDEX proj_violations_related_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX proj_violations_related_idx ON proj_violations USING gin (related_obligation_ids);
      CREATE INDEX proj_violations_compliance_idx
        ON proj_violations (agreement_id, alleged_party_id, verification) INCLUDE (killed, injured);
      DROP TABLE IF EXISTS proj_agreement_violation_totals;
      DROP TABLE IF EXISTS proj_party_violation_counts;
    `);
  }
}
