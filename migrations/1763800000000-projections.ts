import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read side: one checkpoint per projection (the commit-safe feed position it has applied up
 * to) and the `proj_*` tables the projections own. Every list has a `seq` handed out when the row
 * is first projected, so keyset cursors stay stable while new rows arrive.
 */
export class Projections1763800000000 implements MigrationInterface {
  name = 'Projections1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_checkpoints (
        name                   text PRIMARY KEY,
        version                integer NOT NULL,
        transaction_id         xid8 NOT NULL DEFAULT '0'::xid8,
        global_position        bigint NOT NULL DEFAULT 0,
        state                  text NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'rebuilding')),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        last_applied_at        timestamptz NULL,
        last_event_recorded_at timestamptz NULL
      );

      CREATE TABLE proj_agreements (
        agreement_id   text PRIMARY KEY,
        seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        title          text NOT NULL,
        effective_at   timestamptz NOT NULL,
        signed_at      timestamptz NULL,
        parties        jsonb NOT NULL,
        phases         jsonb NOT NULL,
        sources        jsonb NOT NULL,
        registered_at  timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        record         jsonb NOT NULL,
        stream_version integer NOT NULL
      );

      -- The obligations projection keeps its own copy of each agreement's anchors (effective time,
      -- phase starts) so it never depends on another projection's progress. Its rows are also the
      -- per-agreement lock the projection and the status sweep take before recomputing.
      CREATE TABLE proj_obligation_anchors (
        agreement_id   text PRIMARY KEY,
        agreement      jsonb NULL,
        stream_version integer NOT NULL DEFAULT 0
      );

      CREATE TABLE proj_obligations (
        obligation_id          text PRIMARY KEY,
        seq                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        agreement_id           text NOT NULL,
        phase_key              text NOT NULL,
        kind                   text NOT NULL,
        responsible_party_id   text NOT NULL,
        beneficiary_party_id   text NULL,
        is_rate                boolean NOT NULL,
        status                 text NOT NULL,
        status_since           timestamptz NOT NULL,
        status_computed_at     timestamptz NOT NULL,
        effective_due_at       timestamptz NULL,
        original_due_at        timestamptz NULL,
        fulfilled_at           timestamptz NULL,
        late                   boolean NOT NULL DEFAULT false,
        delivered              double precision NOT NULL DEFAULT 0,
        progress               double precision NULL,
        window_compliance_rate double precision NULL,
        windows                jsonb NULL,
        unmet_conditions       text[] NOT NULL DEFAULT '{}',
        next_status_check_at   timestamptz NULL,
        record                 jsonb NOT NULL,
        stream_version         integer NOT NULL,
        updated_at             timestamptz NOT NULL
      );
      CREATE INDEX proj_obligations_agreement_idx ON proj_obligations (agreement_id, seq);
      CREATE INDEX proj_obligations_party_idx ON proj_obligations (responsible_party_id, seq);
      CREATE INDEX proj_obligations_phase_idx ON proj_obligations (agreement_id, phase_key, seq);
      CREATE INDEX proj_obligations_status_idx ON proj_obligations (status, seq);
      CREATE INDEX proj_obligations_kind_idx ON proj_obligations (kind, seq);
      CREATE INDEX proj_obligations_next_check_idx ON proj_obligations (next_status_check_at)
        WHERE next_status_check_at IS NOT NULL;

      CREATE TABLE proj_violations (
        violation_id           text PRIMARY KEY,
        seq                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        agreement_id           text NOT NULL,
        occurred_at            timestamptz NOT NULL,
        recorded_at            timestamptz NOT NULL,
        category               text NOT NULL,
        alleged_party_id       text NOT NULL,
        verification           text NOT NULL,
        killed                 integer NOT NULL,
        injured                integer NOT NULL,
        has_coordinates        boolean NOT NULL,
        related_obligation_ids text[] NOT NULL DEFAULT '{}',
        record                 jsonb NOT NULL,
        stream_version         integer NOT NULL,
        updated_at             timestamptz NOT NULL
      );
      CREATE INDEX proj_violations_agreement_idx ON proj_violations (agreement_id, seq);
      CREATE INDEX proj_violations_party_idx ON proj_violations (alleged_party_id, seq);
      CREATE INDEX proj_violations_category_idx ON proj_violations (category, seq);
      CREATE INDEX proj_violations_level_idx ON proj_violations (verification, seq);
      CREATE INDEX proj_violations_occurred_idx ON proj_violations (agreement_id, occurred_at);
      CREATE INDEX proj_violations_related_idx ON proj_violations USING gin (related_obligation_ids);

      -- Per UTC day and alleged party, kept by the violations projection with deltas (a report moving
      -- level or revising casualties takes its old contribution out and puts the new one in).
      CREATE TABLE proj_violation_stats_daily (
        agreement_id text NOT NULL,
        day          date NOT NULL,
        party_id     text NOT NULL,
        reports      integer NOT NULL DEFAULT 0,
        corroborated integer NOT NULL DEFAULT 0,
        confirmed    integer NOT NULL DEFAULT 0,
        killed       bigint NOT NULL DEFAULT 0,
        injured      bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (agreement_id, day, party_id)
      );

      CREATE TABLE proj_timeline (
        seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agreement_id   text NOT NULL,
        position       bigint NOT NULL UNIQUE,
        transaction_id xid8 NOT NULL,
        recorded_at    timestamptz NOT NULL,
        occurred_at    timestamptz NULL,
        type           text NOT NULL,
        stream_id      text NOT NULL,
        summary        text NOT NULL
      );
      CREATE INDEX proj_timeline_agreement_idx ON proj_timeline (agreement_id, seq);

      CREATE TABLE proj_casualty_tallies (
        tally_id               text PRIMARY KEY,
        seq                    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        agreement_id           text NOT NULL,
        source                 jsonb NOT NULL,
        source_name            text NOT NULL,
        as_of                  timestamptz NOT NULL,
        killed                 integer NOT NULL,
        injured                integer NOT NULL,
        attributed_to_party_id text NULL,
        note                   text NULL,
        recorded_at            timestamptz NOT NULL
      );
      CREATE INDEX proj_casualty_tallies_agreement_idx
        ON proj_casualty_tallies (agreement_id, attributed_to_party_id, source_name, as_of DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS proj_casualty_tallies;
      DROP TABLE IF EXISTS proj_timeline;
      DROP TABLE IF EXISTS proj_violation_stats_daily;
      DROP TABLE IF EXISTS proj_violations;
      DROP TABLE IF EXISTS proj_obligations;
      DROP TABLE IF EXISTS proj_obligation_anchors;
      DROP TABLE IF EXISTS proj_agreements;
      DROP TABLE IF EXISTS projection_checkpoints;
    `);
  }
}
