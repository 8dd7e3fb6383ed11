import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * As-of replays fold one agreement's streams. Every stream's first event names its agreement, so
 * a partial index on those first events finds the streams; their events then come through the
 * (stream_id, stream_version) index. Only one event per stream is indexed: appends to existing
 * streams pay nothing.
 */
export class AgreementStreamsIndex1763830000000 implements MigrationInterface {
  name = 'AgreementStreamsIndex1763830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX events_agreement_streams_idx
        ON events ((data->>'agreementId')) INCLUDE (stream_id) WHERE stream_version = 1
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX events_agreement_streams_idx');
  }
}
