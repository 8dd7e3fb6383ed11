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
 * Both functions are changed the same way: the migration reads the definition (pg_get_functiondef),
 * replaces a few fragments and runs the result, rather than carrying whole copies of long
 * functions (append_batch is also tested byte for byte against the one-by-one function). Each
 * fragment must be found exactly once, else nothing is changed and the migration throws (a
 * definition that is not the one migrations 1763780000000 and 1763890000000 wrote is not patched
 * blindly); down applies the same replacements backwards.
 *
 * append_events reads its clock in the UPDATE that locks the head (a writer that waited has the
 * UPDATE re-evaluated on the row the other left, clock included): updated_at = greatest(updated_at,
 * the clock), returned as the events' recorded_at. A new stream's first append takes the clock
 * as before, having no head to follow.
 *
 * append_batch's lock statement also returns the latest updated_at of the streams it locked;
 * once it has run, the batch's one recorded_at is greatest(the clock, that time).
 * append_batch_one_by_one calls append_events and needs no change.
 */
export class RecordedAtAfterLock1763920000000 implements MigrationInterface {
  name = 'RecordedAtAfterLock1763920000000';

  up(q: QueryRunner): Promise<void> {
    return patchFunctions(q, 'up');
  }

  down(q: QueryRunner): Promise<void> {
    return patchFunctions(q, 'down');
  }
}

/** Patches both functions; every replacement is checked before either is replaced. */
async function patchFunctions(q: QueryRunner, direction: 'up' | 'down'): Promise<void> {
  const patched: string[] = [];
  for (const [signature, patches] of FUNCTIONS) {
    patched.push(patch(signature, await definition(q, signature), patches, direction));
  }
  for (const sql of patched) await q.query(sql);
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
function patch(
  signature: string,
  def: string,
  patches: Array<[string, string]>,
  direction: 'up' | 'down',
): string {
  let out = def;
  for (const [before, after] of patches) {
    const [from, to] = direction === 'up' ? [before, after] : [after, before];
    const found = out.split(from).length - 1;
    if (found !== 1) {
      throw new Error(
        `${signature}: expected one occurrence of ${JSON.stringify(from)}, found ${found}; nothing changed`,
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

// append_events' fragments, exactly as migration 1763780000000 wrote them, and their replacements.
const APPEND_EVENTS_PATCHES: Array<[string, string]> = [
  [
    `
        v_recorded timestamptz := date_trunc('milliseconds', clock_timestamp());
        v_recorded_text text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      BEGIN
`,
    `
        v_recorded timestamptz;        -- read once the stream's row is locked
        v_recorded_text text;
      BEGIN
`,
  ],
  [
    `
        UPDATE streams s SET version = s.version + v_count, updated_at = v_recorded
         WHERE s.stream_id = p_stream_id
        RETURNING s.version - v_count, s.stream_type INTO v_version, v_type;
        IF NOT FOUND THEN
`,
    `
        -- The clock is read in the UPDATE that locks the head (re-evaluated on the newest row when
        -- it had to wait for another writer), never before the head's recorded_at (updated_at).
        UPDATE streams s SET version = s.version + v_count,
                             updated_at = greatest(s.updated_at, date_trunc('milliseconds', clock_timestamp()))
         WHERE s.stream_id = p_stream_id
        RETURNING s.version - v_count, s.stream_type, s.updated_at INTO v_version, v_type, v_recorded;
        IF NOT FOUND THEN
          -- A new stream: no head to follow.
          v_recorded := date_trunc('milliseconds', clock_timestamp());
`,
  ],
  [
    `
            UPDATE streams s SET version = s.version + v_count, updated_at = v_recorded
             WHERE s.stream_id = p_stream_id
            RETURNING s.version - v_count, s.stream_type INTO v_version, v_type;
          END IF;
        END IF;
`,
    `
            UPDATE streams s SET version = s.version + v_count,
                                 updated_at = greatest(s.updated_at, date_trunc('milliseconds', clock_timestamp()))
             WHERE s.stream_id = p_stream_id
            RETURNING s.version - v_count, s.stream_type, s.updated_at INTO v_version, v_type, v_recorded;
          END IF;
        END IF;
        v_recorded_text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
`,
  ],
];

// append_batch first: a second up is refused by the first function's first fragment.
const FUNCTIONS: Array<[string, Array<[string, string]>]> = [
  ['append_batch(jsonb)', BATCH_PATCHES],
  [
    'append_events(text, text, text, integer, uuid[], text[], integer[], jsonb, jsonb, timestamptz[], bytea[])',
    APPEND_EVENTS_PATCHES,
  ],
];
