import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys (stored as hashes) and idempotency records (written in the same transaction as the events). */
export class ApiKeysAndIdempotency1763790000000 implements MigrationInterface {
  name = 'ApiKeysAndIdempotency1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        role        text NOT NULL CHECK (role IN ('reader', 'monitor', 'verifier', 'coordinator', 'auditor', 'admin')),
        secret_hash bytea NOT NULL UNIQUE,
        key_prefix  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz NULL
      );

      CREATE TABLE idempotency_records (
        api_key_id      uuid NOT NULL REFERENCES api_keys (id),
        idempotency_key text NOT NULL,
        request_hash    bytea NOT NULL,
        response_status integer NOT NULL,
        response_body   jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (api_key_id, idempotency_key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_records; DROP TABLE api_keys;');
  }
}
