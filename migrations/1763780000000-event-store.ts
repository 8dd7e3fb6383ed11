import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store: append-only events (enforced by triggers), stream heads, ledger seals, and
 * the one-round-trip append function that checks the expected version and extends the hash chain.
 */
export class EventStore1763780000000 implements MigrationInterface {
  name = 'EventStore1763780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE streams (
        stream_id   text PRIMARY KEY,
        stream_type text NOT NULL,
        version     integer NOT NULL CHECK (version >= 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid NOT NULL UNIQUE,
        stream_id       text NOT NULL,
        stream_type     text NOT NULL,
        stream_version  integer NOT NULL CHECK (stream_version >= 1),
        event_type      text NOT NULL,
        schema_version  integer NOT NULL CHECK (schema_version >= 1),
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        occurred_at     timestamptz NULL,
        recorded_at     timestamptz NOT NULL,
        prev_hash       bytea NOT NULL,
        hash            bytea NOT NULL,
        UNIQUE (stream_id, stream_version)
      );
      -- The stream head's hash is its last event's (found through the unique index).
      -- Commit-safe feed order, and as-of reads by knowledge time.
      CREATE INDEX events_feed_idx ON events (transaction_id, global_position);
      CREATE INDEX events_recorded_at_idx ON events (recorded_at);

      CREATE TABLE ledger_seals (
        seal_no             bigint PRIMARY KEY,
        from_transaction_id xid8 NOT NULL,
        from_position       bigint NOT NULL,
        to_transaction_id   xid8 NOT NULL,
        to_position         bigint NOT NULL,
        event_count         bigint NOT NULL CHECK (event_count > 0),
        digest              bytea NOT NULL,
        prev_seal_hash      bytea NOT NULL,
        seal_hash           bytea NOT NULL,
        sealed_at           timestamptz NOT NULL DEFAULT now()
      );

      -- Immutability is enforced by the database, not by good manners.
      CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'CL403';
      END $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
      CREATE TRIGGER ledger_seals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_seals
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
    `);

    // append_events: one round trip, and on the common path one UPDATE of the stream head (which
    // also takes its row lock), one index probe for the previous hash and one INSERT. It checks
    // the expected version under that lock and chains
    //   hash = sha256(prev_hash || utf8(stream_id \n stream_type \n version \n recorded_at \n) || body_hash)
    // where body_hash = sha256(canonical JSON of the event body), computed by the caller.
    // An event id that exists already aborts the whole statement (unique violation on event_id);
    // the caller then looks the original append up (the rare path stays out of the common one).
    await q.query(`
      CREATE FUNCTION append_events(
        p_stream_id text,
        p_stream_type text,
        p_expected_kind text,          -- 'exact' | 'no_stream' | 'stream_exists' | 'any'
        p_expected_version integer,    -- used when p_expected_kind = 'exact'
        p_event_ids uuid[],
        p_event_types text[],
        p_schema_versions integer[],
        p_data jsonb,                  -- a JSON array: the events' data, in order
        p_metadata jsonb,              -- a JSON array: the events' metadata, in order
        p_occurred_at timestamptz[],
        p_body_hashes bytea[]
      ) RETURNS TABLE (
        stream_version integer, global_position bigint, hash bytea, recorded_at timestamptz
      ) LANGUAGE plpgsql AS $$
      DECLARE
        v_count integer := cardinality(p_event_ids);
        v_version integer;
        v_type text;
        v_hash bytea;
        v_hashes bytea[] := '{}';
        v_prev bytea[] := '{}';
        v_recorded timestamptz := date_trunc('milliseconds', clock_timestamp());
        v_recorded_text text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      BEGIN
        IF v_count IS NULL OR v_count = 0 THEN
          RAISE EXCEPTION 'append_events needs at least one event' USING ERRCODE = 'CL400';
        END IF;

        UPDATE streams s SET version = s.version + v_count, updated_at = v_recorded
         WHERE s.stream_id = p_stream_id
        RETURNING s.version - v_count, s.stream_type INTO v_version, v_type;
        IF NOT FOUND THEN
          INSERT INTO streams AS s (stream_id, stream_type, version, created_at, updated_at)
            VALUES (p_stream_id, p_stream_type, v_count, v_recorded, v_recorded)
            ON CONFLICT DO NOTHING;
          IF FOUND THEN
            v_version := 0;
            v_type := p_stream_type;
          ELSE
            -- A concurrent writer created it first: wait for its lock and take the next versions.
            UPDATE streams s SET version = s.version + v_count, updated_at = v_recorded
             WHERE s.stream_id = p_stream_id
            RETURNING s.version - v_count, s.stream_type INTO v_version, v_type;
          END IF;
        END IF;

        IF v_type <> p_stream_type THEN
          RAISE EXCEPTION 'stream % has type %, not %', p_stream_id, v_type, p_stream_type USING ERRCODE = 'CL421';
        END IF;
        IF (p_expected_kind = 'exact' AND v_version <> p_expected_version)
           OR (p_expected_kind = 'no_stream' AND v_version <> 0)
           OR (p_expected_kind = 'stream_exists' AND v_version = 0) THEN
          RAISE EXCEPTION 'version conflict on %', p_stream_id USING ERRCODE = 'CL409', DETAIL = v_version::text;
        END IF;

        IF v_version = 0 THEN
          v_hash := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        ELSE
          SELECT e.hash INTO v_hash FROM events e WHERE e.stream_id = p_stream_id AND e.stream_version = v_version;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % has no event at its head version %', p_stream_id, v_version USING ERRCODE = 'CL500';
          END IF;
        END IF;
        FOR i IN 1 .. v_count LOOP
          v_prev := v_prev || v_hash;
          v_hash := sha256(v_hash
            || convert_to(p_stream_id || E'\\n' || p_stream_type || E'\\n' || (v_version + i)::text || E'\\n' || v_recorded_text || E'\\n', 'UTF8')
            || p_body_hashes[i]);
          v_hashes := v_hashes || v_hash;
        END LOOP;

        RETURN QUERY
          INSERT INTO events AS e (event_id, stream_id, stream_type, stream_version, event_type, schema_version,
                                   data, metadata, occurred_at, recorded_at, prev_hash, hash)
          SELECT u.event_id, p_stream_id, p_stream_type, v_version + u.ord::integer, u.event_type, u.schema_version,
                 p_data -> (u.ord::integer - 1), p_metadata -> (u.ord::integer - 1), u.occurred_at, v_recorded, u.prev_hash, u.hash
            FROM unnest(p_event_ids, p_event_types, p_schema_versions, p_occurred_at, v_prev, v_hashes)
                 WITH ORDINALITY AS u(event_id, event_type, schema_version, occurred_at, prev_hash, hash, ord)
           ORDER BY u.ord
          RETURNING e.stream_version, e.global_position, e.hash, e.recorded_at;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION append_events(text, text, text, integer, uuid[], text[], integer[], jsonb, jsonb, timestamptz[], bytea[]);
      DROP TABLE ledger_seals;
      DROP TABLE events;
      DROP TABLE streams;
      DROP FUNCTION refuse_ledger_change();
    `);
  }
}
