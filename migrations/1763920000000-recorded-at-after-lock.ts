import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * recorded_at never decreases along a stream's versions, so the events recorded up to a time are
 * a prefix of every stream (the as-of reads fold exactly those). append_events and append_batch
 * read the clock when they started, before they locked the streams: an append that waited for
 * another writer's lock wrote its versions after that writer's, with an earlier time (an audit
 * saw a batch write v3 55 ms before v2). Now each reads the clock once it holds the locks, and
 * never takes a time before a locked stream's head: streams.updated_at, which every writer sets
 * to the recorded_at of the head it writes (append_events, append_batch's upsert, import_events).
 * That also keeps a stream in order when the server's clock steps back.
 *
 * append_events is short: it is written out whole, and down writes out the definition of
 * migration 1763780000000 again. Its clock is read in the UPDATE that locks the head (a writer
 * that waited has the UPDATE re-evaluated on the row the other left, clock included):
 * updated_at = greatest(updated_at, the clock), returned as the events' recorded_at. A new
 * stream's first append takes the clock as before, having no head to follow.
 *
 * append_batch is long and tested byte for byte against the one-by-one function: rather than a
 * second copy of it here, the migration reads its definition (pg_get_functiondef), replaces four
 * fragments and runs the result. Each fragment must be found exactly once, else nothing is
 * changed and the migration throws (a definition that is not migration 1763890000000's is not
 * patched blindly); down applies the same replacements backwards. The lock statement also
 * returns the latest updated_at of the streams it locked; once it has run, the batch's one
 * recorded_at is greatest(the clock, that time). append_batch_one_by_one calls append_events
 * and needs no change.
 */
export class RecordedAtAfterLock1763920000000 implements MigrationInterface {
  name = 'RecordedAtAfterLock1763920000000';

  async up(q: QueryRunner): Promise<void> {
    const batch = patch(await definition(q, 'append_batch(jsonb)'), BATCH_PATCHES, 'up');
    await q.query(APPEND_EVENTS);
    await q.query(batch);
  }

  async down(q: QueryRunner): Promise<void> {
    const batch = patch(await definition(q, 'append_batch(jsonb)'), BATCH_PATCHES, 'down');
    await q.query(APPEND_EVENTS_1763780000000);
    await q.query(batch);
  }
}

/** The function's CREATE OR REPLACE statement, as PostgreSQL prints it (its body verbatim). */
async function definition(q: QueryRunner, signature: string): Promise<string> {
  const rows: Array<{ def: string }> = await q.query(
    'SELECT pg_get_functiondef($1::regprocedure) AS def',
    [signature],
  );
  return rows[0].def;
}

/** Applies each [before, after] replacement (backwards for down); each must match exactly once. */
function patch(def: string, patches: Array<[string, string]>, direction: 'up' | 'down'): string {
  let out = def;
  for (const [before, after] of patches) {
    const [from, to] = direction === 'up' ? [before, after] : [after, before];
    const found = out.split(from).length - 1;
    if (found !== 1) {
      throw new Error(
        `append_batch(jsonb): expected one occurrence of ${JSON.stringify(from)}, found ${found}; nothing changed`,
      );
    }
    out = out.replace(from, () => to);
  }
  return out;
}

// append_batch's fragments, exactly as migration 1763890000000 wrote them, and their replacements.
const BATCH_PATCHES: Array<[string, string]> = [
  [
    `
        v_recorded timestamptz := date_trunc('milliseconds', clock_timestamp());
        v_recorded_text text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
`,
    `
        -- Set once the streams are locked (step 2).
        v_recorded timestamptz;
        v_recorded_text text;
`,
  ],
  [
    `
                 count(DISTINCT k.stream_id) = count(*)
            INTO s_version, s_type, s_existed, s_written, v_plain
`,
    `
                 count(DISTINCT k.stream_id) = count(*), max(l.updated_at)
            INTO s_version, s_type, s_existed, s_written, v_plain, v_recorded
`,
  ],
  [
    `
            LEFT JOIN LATERAL (SELECT s.version, s.stream_type FROM streams s
`,
    `
            LEFT JOIN LATERAL (SELECT s.version, s.stream_type, s.updated_at FROM streams s
`,
  ],
  [
    `
            RAISE EXCEPTION 'append_batch: the appends to a stream are not adjacent';
          END IF;

          -- In a snapshot taken after the locks:`,
    `
            RAISE EXCEPTION 'append_batch: the appends to a stream are not adjacent';
          END IF;

          -- The batch's recorded_at, read under the locks and never before a locked stream's head
          -- (its updated_at, the latest of which the lock statement returned): recorded_at never
          -- decreases along a stream. The streams the batch creates have no head.
          v_recorded := greatest(date_trunc('milliseconds', clock_timestamp()), v_recorded);
          v_recorded_text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

          -- In a snapshot taken after the locks:`,
  ],
];

// append_events, reading the clock under the stream's lock.
const APPEND_EVENTS = `
      CREATE OR REPLACE FUNCTION append_events(
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
        v_recorded timestamptz;        -- read once the stream's row is locked
        v_recorded_text text;
      BEGIN
        IF v_count IS NULL OR v_count = 0 THEN
          RAISE EXCEPTION 'append_events needs at least one event' USING ERRCODE = 'CL400';
        END IF;

        -- The clock is read in the UPDATE that locks the head (re-evaluated on the newest row when
        -- it had to wait for another writer), never before the head's recorded_at (updated_at).
        UPDATE streams s SET version = s.version + v_count,
                             updated_at = greatest(s.updated_at, date_trunc('milliseconds', clock_timestamp()))
         WHERE s.stream_id = p_stream_id
        RETURNING s.version - v_count, s.stream_type, s.updated_at INTO v_version, v_type, v_recorded;
        IF NOT FOUND THEN
          -- A new stream: no head to follow.
          v_recorded := date_trunc('milliseconds', clock_timestamp());
          INSERT INTO streams AS s (stream_id, stream_type, version, created_at, updated_at)
            VALUES (p_stream_id, p_stream_type, v_count, v_recorded, v_recorded)
            ON CONFLICT DO NOTHING;
          IF FOUND THEN
            v_version := 0;
            v_type := p_stream_type;
          ELSE
            -- A concurrent writer created it first: wait for its lock and take the next versions.
            UPDATE streams s SET version = s.version + v_count,
                                 updated_at = greatest(s.updated_at, date_trunc('milliseconds', clock_timestamp()))
             WHERE s.stream_id = p_stream_id
            RETURNING s.version - v_count, s.stream_type, s.updated_at INTO v_version, v_type, v_recorded;
          END IF;
        END IF;
        v_recorded_text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

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
    `;

// append_events as migration 1763780000000 created it (its body byte for byte), for down.
const APPEND_EVENTS_1763780000000 = `
      CREATE OR REPLACE FUNCTION append_events(
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
    `;
