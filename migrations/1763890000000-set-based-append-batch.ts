import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_batch, set-based: the same answers and the same rows as the one-by-one function it
 * replaces, for less PostgreSQL CPU per event. That function ran a subtransaction and some eight
 * statements per append; this one runs one subtransaction and four statements per batch:
 *
 *   1. unpack every append, with the expressions and casts the one-by-one function applied;
 *   2. lock the existing streams (FOR NO KEY UPDATE, as append_events' UPDATE) in order of first
 *      appearance, the order the one-by-one loop locked them in, one index probe each;
 *   3. read their head hashes, in a snapshot taken after the locks;
 *   4. settle each append in input order, in memory, exactly as append_events would on the stream
 *      as the earlier appends of the batch left it (stream type, expected version, hash chain);
 *      then one statement upserts the stream heads, inserts every event and answers each append.
 *
 * Whatever the one-by-one function answered with an error raised mid-append is handed back to it
 * (kept as append_batch_one_by_one), after the set-based attempt is rolled back: any error at all
 * (an event id that exists or repeats, a value a cast or a constraint refuses, a stream created
 * by another transaction meanwhile, a head event missing, a version overflow), an append without
 * events or with arrays of unequal lengths, a missing stream id or type, a stream id long enough
 * that creating its row could fail, or appends to one stream that are not adjacent (callers sort
 * by stream id). It answers those batches as before, at the old cost.
 *
 * Differences no answer or row shows: a batch's events share one recorded_at, taken when the
 * function starts (the one-by-one function took one per append, the first at that same moment);
 * a stream whose appends all fail stays locked until commit; fewer positions are left unused.
 */
export class SetBasedAppendBatch1763890000000 implements MigrationInterface {
  name = 'SetBasedAppendBatch1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER FUNCTION append_batch(jsonb) RENAME TO append_batch_one_by_one');
    await q.query(`
      CREATE FUNCTION append_batch(p_appends jsonb) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_recorded timestamptz := date_trunc('milliseconds', clock_timestamp());
        v_recorded_text text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        v_genesis constant bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        v_plain boolean;
        v_appends integer;
        -- Per append, in input order.
        a_stream text[];
        a_type text[];
        a_kind text[];
        a_expected integer[];
        a_count integer[];
        a_slot integer[];
        a_code text[];
        a_detail text[];
        -- Per event of every append, flat, in input order.
        e_id uuid[];
        e_type text[];
        e_schema integer[];
        e_occurred timestamptz[];
        e_body bytea[];
        e_ord integer[];
        e_append integer[];
        -- Per stream, in order of first appearance: as found, then as the batch leaves it.
        s_id text[];
        s_existed boolean[];
        s_version integer[];
        s_type text[];
        s_head bytea[];
        s_written boolean[];
        -- Per event to insert.
        w_event integer[] := '{}';
        w_append integer[] := '{}';
        w_version integer[] := '{}';
        w_prev bytea[] := '{}';
        w_hash bytea[] := '{}';
        v_w integer := 0;
        v_first integer := 1;
        v_slot integer;
        v_version integer;
        v_type text;
        v_hash bytea;
        v_to_write integer := 0;
        v_written integer;
        m_existing text[] := '{}';
        v_answers jsonb[];
      BEGIN
        BEGIN
          -- One row per event (and one for an append without events), in input order; the
          -- aggregates read them in that order.
          SELECT count(*) FILTER (WHERE x.n IS NULL OR x.n = 1),
                 array_agg(x.stream_id) FILTER (WHERE x.n IS NULL OR x.n = 1),
                 array_agg(x.stream_type) FILTER (WHERE x.n IS NULL OR x.n = 1),
                 array_agg(x.kind) FILTER (WHERE x.n IS NULL OR x.n = 1),
                 array_agg(x.expected) FILTER (WHERE x.n IS NULL OR x.n = 1),
                 array_agg(x.events) FILTER (WHERE x.n IS NULL OR x.n = 1),
                 coalesce(bool_and(x.stream_id IS NOT NULL AND x.stream_type IS NOT NULL
                                   -- A new stream's row is inserted before any check: a key too long
                                   -- for its index would fail there, even for an append that conflicts.
                                   AND octet_length(x.stream_id) <= 2000 AND x.shaped), true),
                 array_agg(x.id) FILTER (WHERE x.n IS NOT NULL),
                 array_agg(x.type) FILTER (WHERE x.n IS NOT NULL),
                 array_agg(x.schema_version) FILTER (WHERE x.n IS NOT NULL),
                 array_agg(x.occurred) FILTER (WHERE x.n IS NOT NULL),
                 array_agg(x.body_hash) FILTER (WHERE x.n IS NOT NULL),
                 array_agg(x.n) FILTER (WHERE x.n IS NOT NULL),
                 array_agg(x.ord) FILTER (WHERE x.n IS NOT NULL)
            INTO v_appends, a_stream, a_type, a_kind, a_expected, a_count, v_plain,
                 e_id, e_type, e_schema, e_occurred, e_body, e_ord, e_append
            FROM (SELECT t.ord::integer AS ord, u.n::integer AS n,
                         t.a->>'streamId' AS stream_id, t.a->>'streamType' AS stream_type,
                         t.a->>'expectedKind' AS kind, (t.a->>'expectedVersion')::integer AS expected,
                         coalesce(jsonb_array_length(t.a->'eventIds'), 0) AS events,
                         coalesce(jsonb_array_length(t.a->'eventIds'), 0) > 0
                           AND coalesce(jsonb_array_length(t.a->'types'), 0) = jsonb_array_length(t.a->'eventIds')
                           AND coalesce(jsonb_array_length(t.a->'schemaVersions'), 0) = jsonb_array_length(t.a->'eventIds')
                           AND coalesce(jsonb_array_length(t.a->'occurredAt'), 0) = jsonb_array_length(t.a->'eventIds')
                           AND coalesce(jsonb_array_length(t.a->'bodyHashes'), 0) = jsonb_array_length(t.a->'eventIds')
                           AS shaped,
                         -- The casts append_batch applied to every element of every append.
                         u.id::uuid AS id,
                         t.a->'types'->>(u.n::integer - 1) AS type,
                         (t.a->'schemaVersions'->>(u.n::integer - 1))::integer AS schema_version,
                         (t.a->'occurredAt'->>(u.n::integer - 1))::timestamptz AS occurred,
                         decode(t.a->'bodyHashes'->>(u.n::integer - 1), 'hex') AS body_hash
                    FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS t(a, ord)
                    LEFT JOIN LATERAL jsonb_array_elements_text(t.a->'eventIds') WITH ORDINALITY AS u(id, n) ON true
                   ORDER BY t.ord, u.n) AS x;

          IF v_appends = 0 THEN
            RETURN;
          END IF;
          IF v_plain IS NOT TRUE THEN
            RAISE EXCEPTION 'append_batch: a batch for the one-by-one path';
          END IF;

          -- Streams in order of first appearance. Callers sort by stream id, so the appends to one
          -- stream are adjacent; a stream that comes back later is caught by the lock statement.
          a_slot := array_fill(0, ARRAY[v_appends]);
          s_id := '{}';
          FOR i IN 1 .. v_appends LOOP
            IF i = 1 OR a_stream[i] <> a_stream[i - 1] THEN
              s_id := s_id || a_stream[i];
            END IF;
            a_slot[i] := cardinality(s_id);
          END LOOP;

          -- The locks append_events' UPDATE took (FOR NO KEY UPDATE), in the order it took them: a
          -- nested loop over the slots, one lookup each (a join here could be planned as a scan of
          -- the whole table, and a cached plan outlives the table's growth).
          SELECT array_agg(l.version ORDER BY k.slot), array_agg(l.stream_type ORDER BY k.slot),
                 array_agg(l.version IS NOT NULL ORDER BY k.slot), array_agg(false ORDER BY k.slot),
                 count(DISTINCT k.stream_id) = count(*)
            INTO s_version, s_type, s_existed, s_written, v_plain
            FROM unnest(s_id) WITH ORDINALITY AS k(stream_id, slot)
            LEFT JOIN LATERAL (SELECT s.version, s.stream_type FROM streams s
                                WHERE s.stream_id = k.stream_id FOR NO KEY UPDATE) AS l ON true;
          IF v_plain IS NOT TRUE THEN
            RAISE EXCEPTION 'append_batch: the appends to a stream are not adjacent';
          END IF;

          -- In a snapshot taken after the locks: a head written by a transaction we waited for is seen.
          IF true = ANY (s_existed) THEN
            SELECT array_agg((SELECT e.hash FROM events e WHERE e.stream_id = k.stream_id AND e.stream_version = k.version)
                             ORDER BY k.slot)
              INTO s_head
              FROM unnest(s_id, s_version) WITH ORDINALITY AS k(stream_id, version, slot);
          ELSE
            s_head := array_fill(NULL::bytea, ARRAY[cardinality(s_id)]);
          END IF;

          a_code := array_fill(NULL::text, ARRAY[v_appends]);
          a_detail := array_fill(NULL::text, ARRAY[v_appends]);
          FOR i IN 1 .. v_appends LOOP
            -- The aggregates of step 1 read the rows in input order; make sure of it.
            IF e_append[v_first] IS DISTINCT FROM i THEN
              RAISE EXCEPTION 'append_batch: appends out of order';
            END IF;
            v_slot := a_slot[i];
            IF s_version[v_slot] IS NULL THEN
              v_version := 0;
              v_type := a_type[i];
            ELSE
              v_version := s_version[v_slot];
              v_type := s_type[v_slot];
              IF v_version::bigint + a_count[i] > 2147483647 THEN
                RAISE EXCEPTION 'append_batch: a stream version would overflow';
              END IF;
            END IF;
            -- append_events' checks, in its order and with its three-valued logic.
            IF v_type <> a_type[i] THEN
              a_code[i] := 'CL421';
              a_detail[i] := '';
            ELSIF (a_kind[i] = 'exact' AND v_version <> a_expected[i])
               OR (a_kind[i] = 'no_stream' AND v_version <> 0)
               OR (a_kind[i] = 'stream_exists' AND v_version = 0) THEN
              a_code[i] := 'CL409';
              a_detail[i] := v_version::text;
            ELSE
              IF v_version = 0 THEN
                v_hash := v_genesis;
              ELSE
                v_hash := s_head[v_slot];
                IF v_hash IS NULL THEN
                  RAISE EXCEPTION 'append_batch: no event at the head of a stream';
                END IF;
              END IF;
              FOR j IN 1 .. a_count[i] LOOP
                IF e_append[v_first + j - 1] IS DISTINCT FROM i OR e_ord[v_first + j - 1] IS DISTINCT FROM j THEN
                  RAISE EXCEPTION 'append_batch: events out of order';
                END IF;
                v_w := v_w + 1;
                w_event[v_w] := v_first + j - 1;
                w_append[v_w] := i;
                w_version[v_w] := v_version + j;
                w_prev[v_w] := v_hash;
                v_hash := sha256(v_hash
                  || convert_to(a_stream[i] || E'\\n' || a_type[i] || E'\\n' || (v_version + j)::text || E'\\n' || v_recorded_text || E'\\n', 'UTF8')
                  || e_body[v_first + j - 1]);
                w_hash[v_w] := v_hash;
              END LOOP;
              s_version[v_slot] := v_version + a_count[i];
              s_type[v_slot] := v_type;
              s_head[v_slot] := v_hash;
              s_written[v_slot] := true;
            END IF;
            v_first := v_first + a_count[i];
          END LOOP;

          FOR si IN 1 .. cardinality(s_id) LOOP
            IF s_written[si] THEN
              v_to_write := v_to_write + 1;
              IF s_existed[si] THEN
                m_existing := m_existing || s_id[si];
              END IF;
            END IF;
          END LOOP;

          -- One upsert moves the heads: the streams that existed (locked above) are updated through
          -- the conflict, the new ones inserted; a stream another transaction created since step 2
          -- is neither (its id is not among the existing ones) and sends the batch one by one.
          WITH written AS (
            INSERT INTO streams AS s (stream_id, stream_type, version, created_at, updated_at)
            SELECT k.stream_id, k.stream_type, k.version, v_recorded, v_recorded
              FROM unnest(s_id, s_type, s_version, s_written) WITH ORDINALITY AS k(stream_id, stream_type, version, written, slot)
             WHERE k.written
             ORDER BY k.slot
            ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
             WHERE s.stream_id = ANY (m_existing)
            RETURNING 1),
          appended AS (
            INSERT INTO events AS e (event_id, stream_id, stream_type, stream_version, event_type, schema_version,
                                     data, metadata, occurred_at, recorded_at, prev_hash, hash)
            SELECT e_id[w.event], a_stream[w.append], a_type[w.append], w.version, e_type[w.event], e_schema[w.event],
                   p_appends -> (w.append - 1) -> 'data' -> (e_ord[w.event] - 1),
                   p_appends -> (w.append - 1) -> 'metadata' -> (e_ord[w.event] - 1),
                   e_occurred[w.event], v_recorded, w.prev_hash, w.hash
              FROM unnest(w_event, w_append, w_version, w_prev, w_hash)
                   WITH ORDINALITY AS w(event, append, version, prev_hash, hash, ord)
             ORDER BY w.ord
            RETURNING e.stream_id, e.stream_version, e.global_position, e.hash, e.recorded_at),
          answered AS (
            SELECT w.append, jsonb_agg(jsonb_build_object(
                     'v', r.stream_version, 'p', r.global_position, 'h', encode(r.hash, 'hex'), 'r', r.recorded_at)
                     ORDER BY r.stream_version) AS rows
              FROM appended r
              JOIN unnest(w_append, w_version) AS w(append, version)
                ON r.stream_id = a_stream[w.append] AND r.stream_version = w.version
             GROUP BY w.append)
          SELECT (SELECT count(*) FROM written),
                 array_agg(CASE WHEN o.code IS NULL
                                THEN jsonb_build_object('ok', true, 'rows', answered.rows)
                                ELSE jsonb_build_object('ok', false, 'code', o.code, 'detail', o.detail, 'constraint', '')
                           END ORDER BY o.append)
            INTO v_written, v_answers
            FROM unnest(a_code, a_detail) WITH ORDINALITY AS o(code, detail, append)
            LEFT JOIN answered ON answered.append = o.append;

          -- A stream created by another transaction since step 2 (or a row answered without its
          -- events, which cannot happen): settle the whole batch one by one instead.
          IF v_written <> v_to_write
             OR EXISTS (SELECT 1 FROM unnest(v_answers) AS o(answer) WHERE o.answer->'ok' = 'true' AND o.answer->'rows' = 'null') THEN
            RAISE EXCEPTION 'append_batch: streams moved under the batch';
          END IF;
        EXCEPTION WHEN OTHERS THEN
          RETURN QUERY SELECT * FROM append_batch_one_by_one(p_appends);
          RETURN;
        END;
        RETURN QUERY SELECT * FROM unnest(v_answers);
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION append_batch(jsonb)');
    await q.query('ALTER FUNCTION append_batch_one_by_one(jsonb) RENAME TO append_batch');
  }
}
