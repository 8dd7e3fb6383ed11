import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance counts an agreement's violations by party and level on every request; with this
 * covering index that is an index-only scan in group order instead of a heap scan of every report.
 */
export class ComplianceViolationsIndex1763820000000 implements MigrationInterface {
  name = 'ComplianceViolationsIndex1763820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX proj_violations_compliance_idx
        ON proj_violations (agreement_id, alleged_party_id, verification) INCLUDE (killed, injured)
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX proj_violations_compliance_idx');
  }
}
