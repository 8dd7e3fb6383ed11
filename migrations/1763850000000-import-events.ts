import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_events: the insert path of `cli import`. append_events stamps recorded_at with the clock,
 * but an imported event must keep the recorded_at it was hashed with. This function takes a run of
 * consecutive events of one stream with their recorded times and hashes, chains the hashes again
 * exactly as append_events does, and refuses the run (nothing inserted) when a hash or a previous
 * hash does not match, or when the stream does not stand where the run says it starts. It only
 * ever INSERTs events; the caller holds one transaction around every run of the file.
 */
export class ImportEvents1763850000000 implements MigrationInterface {
  name = 'ImportEvents1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION import_events(
        p_stream_id text,
        p_stream_type text,
        p_first_version integer,       -- the stream version of the run's first event
        p_event_ids uuid[],
        p_event_types text[],
        p_schema_versions integer[],
        p_data jsonb,                  -- a JSON array: the events' data, in order
        p_metadata jsonb,              -- a JSON array: the events' metadata, in order
        p_occurred_at timestamptz[],
        p_recorded_at timestamptz[],
        p_body_hashes bytea[],
        p_prev_hashes bytea[],
        p_hashes bytea[]
      ) RETURNS TABLE (stream_version integer, global_position bigint) LANGUAGE plpgsql AS $$
      DECLARE
        v_count integer := cardinality(p_event_ids);
        v_hash bytea;
      BEGIN
        IF v_count IS NULL OR v_count = 0 THEN
          RAISE EXCEPTION 'import_events needs at least one event' USING ERRCODE = 'CL400';
        END IF;

        IF p_first_version = 1 THEN
          INSERT INTO streams AS s (stream_id, stream_type, version, created_at, updated_at)
            VALUES (p_stream_id, p_stream_type, v_count, p_recorded_at[1], p_recorded_at[v_count])
            ON CONFLICT DO NOTHING;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % exists already', p_stream_id USING ERRCODE = 'CL409';
          END IF;
          v_hash := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        ELSE
          UPDATE streams s SET version = s.version + v_count, updated_at = p_recorded_at[v_count]
           WHERE s.stream_id = p_stream_id AND s.stream_type = p_stream_type
             AND s.version = p_first_version - 1;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % is not at version %', p_stream_id, p_first_version - 1
              USING ERRCODE = 'CL409';
          END IF;
          SELECT e.hash INTO v_hash FROM events e
           WHERE e.stream_id = p_stream_id AND e.stream_version = p_first_version - 1;
        END IF;

        FOR i IN 1 .. v_count LOOP
          IF p_prev_hashes[i] IS DISTINCT FROM v_hash THEN
            RAISE EXCEPTION 'chain break in % at version %', p_stream_id, p_first_version + i - 1
              USING ERRCODE = 'CL422', DETAIL = (p_first_version + i - 1)::text;
          END IF;
          -- The chain covers recorded_at at millisecond precision: a finer time could not verify.
          IF p_recorded_at[i] <> date_trunc('milliseconds', p_recorded_at[i]) THEN
            RAISE EXCEPTION 'recorded_at of % version % is finer than a millisecond', p_stream_id, p_first_version + i - 1
              USING ERRCODE = 'CL422', DETAIL = (p_first_version + i - 1)::text;
          END IF;
          v_hash := sha256(v_hash
            || convert_to(p_stream_id || E'\\n' || p_stream_type || E'\\n' || (p_first_version + i - 1)::text || E'\\n'
                          || to_char(p_recorded_at[i] AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || E'\\n', 'UTF8')
            || p_body_hashes[i]);
          IF v_hash IS DISTINCT FROM p_hashes[i] THEN
            RAISE EXCEPTION 'hash mismatch in % at version %', p_stream_id, p_first_version + i - 1
              USING ERRCODE = 'CL422', DETAIL = (p_first_version + i - 1)::text;
          END IF;
        END LOOP;

        RETURN QUERY
          INSERT INTO events AS e (event_id, stream_id, stream_type, stream_version, event_type, schema_version,
                                   data, metadata, occurred_at, recorded_at, prev_hash, hash)
          SELECT u.event_id, p_stream_id, p_stream_type, p_first_version + u.ord::integer - 1, u.event_type,
                 u.schema_version, p_data -> (u.ord::integer - 1), p_metadata -> (u.ord::integer - 1),
                 u.occurred_at, u.recorded_at, u.prev_hash, u.hash
            FROM unnest(p_event_ids, p_event_types, p_schema_versions, p_occurred_at, p_recorded_at,
                        p_prev_hashes, p_hashes)
                 WITH ORDINALITY AS u(event_id, event_type, schema_version, occurred_at, recorded_at, prev_hash, hash, ord)
           ORDER BY u.ord
          RETURNING e.stream_version, e.global_position;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP FUNCTION import_events(text, text, integer, uuid[], text[], integer[], jsonb, jsonb, timestamptz[], timestamptz[], bytea[], bytea[], bytea[])',
    );
  }
}
