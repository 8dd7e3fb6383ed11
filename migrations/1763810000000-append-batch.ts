import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_batch: several independent appends in one round trip and one commit (group commit for
 * concurrent requests). Each runs append_events in its own subtransaction, so a conflict in one
 * never touches the others; each answer is a JSON object with the rows or the error's SQLSTATE.
 * Callers order the appends by stream id so that concurrent batches lock streams in one order.
 */
export class AppendBatch1763810000000 implements MigrationInterface {
  name = 'AppendBatch1763810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION append_batch(p_appends jsonb) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
      DECLARE
        a jsonb;
        v_rows jsonb;
        v_state text;
        v_detail text;
        v_constraint text;
      BEGIN
        FOR a IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
          BEGIN
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                     'v', r.stream_version, 'p', r.global_position, 'h', encode(r.hash, 'hex'), 'r', r.recorded_at)), '[]')
              INTO v_rows
              FROM append_events(
                a->>'streamId', a->>'streamType', a->>'expectedKind', (a->>'expectedVersion')::integer,
                ARRAY(SELECT jsonb_array_elements_text(a->'eventIds'))::uuid[],
                ARRAY(SELECT jsonb_array_elements_text(a->'types')),
                ARRAY(SELECT jsonb_array_elements_text(a->'schemaVersions'))::integer[],
                a->'data', a->'metadata',
                ARRAY(SELECT jsonb_array_elements_text(a->'occurredAt'))::timestamptz[],
                ARRAY(SELECT decode(x, 'hex') FROM jsonb_array_elements_text(a->'bodyHashes') AS x)
              ) AS r;
            RETURN NEXT jsonb_build_object('ok', true, 'rows', v_rows);
          EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL,
                                    v_constraint = CONSTRAINT_NAME;
            RETURN NEXT jsonb_build_object('ok', false, 'code', v_state, 'detail', v_detail, 'constraint', v_constraint);
          END;
        END LOOP;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION append_batch(jsonb)');
  }
}
