import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The violation reports naming each obligation, by verification level, kept by the violations
 * projection (version 2) with deltas like proj_violation_stats_daily, so that an obligation read
 * looks its counts up by key instead of counting the reports at read time (which fetched each
 * report naming the page's obligations: hundreds of scattered heap pages per list page). Filled
 * here from the projected reports, so reads stay right until the worker's rebuild of the new
 * version replaces the table; a level no report is at has no row.
 */
export class ObligationViolationCounts1763870000000 implements MigrationInterface {
  name = 'ObligationViolationCounts1763870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proj_obligation_violation_counts (
        obligation_id text NOT NULL,
        verification  text NOT NULL,
        reports       integer NOT NULL,
        PRIMARY KEY (obligation_id, verification)
      );
      INSERT INTO proj_obligation_violation_counts (obligation_id, verification, reports)
      SELECT o.id, v.verification, count(DISTINCT v.violation_id)
        FROM proj_violations v CROSS JOIN LATERAL unnest(v.related_obligation_ids) AS o(id)
       GROUP BY o.id, v.verification;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS proj_obligation_violation_counts');
  }
}
