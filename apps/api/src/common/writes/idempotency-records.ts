// Idempotency records (API.md: the same Idempotency-Key with the same request answers the first
// response again and writes nothing; with another request it is a 422): one row per API key and
// Idempotency-Key with the request's fingerprint and the first answer. Appends keep theirs in the
// transaction of their events (CommandExecutor); other writes (API keys, rebuild jobs) use the
// same rows.
import type { Pool } from 'pg';
import { ApiError } from '../api-error';
import type { WriteRequest } from '../request-context';

type Queryable = Pick<Pool, 'query'>;

/** A write's answer: its status and body, and whether it repeats a recorded first answer. */
export interface WriteAnswer<Body> {
  status: number;
  body: Body;
  /** True when this answers a retried request from its idempotency record. */
  replayed: boolean;
}

/**
 * Another request with the same Idempotency-Key recorded its answer first: the write in hand must
 * not land, and findIdempotentAnswer gives the answer to send instead.
 */
export class IdempotencyRace extends Error {}

/**
 * The recorded first answer to this request's Idempotency-Key, or null (no key, or no record
 * yet). The key used with another method, path or body is a 422 IDEMPOTENCY_KEY_REUSED.
 */
export async function findIdempotentAnswer<Body>(
  db: Queryable,
  request: WriteRequest,
): Promise<WriteAnswer<Body> | null> {
  if (!request.idempotencyKey) return null;
  const { rows } = await db.query<{
    request_hash: Buffer;
    response_status: number;
    response_body: Body;
  }>(
    `SELECT request_hash, response_status, response_body FROM idempotency_records
      WHERE api_key_id = $1 AND idempotency_key = $2`,
    [request.actor.keyId, request.idempotencyKey],
  );
  const record = rows[0];
  if (!record) return null;
  if (!record.request_hash.equals(request.fingerprint)) {
    throw new ApiError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was used with a different request',
    );
  }
  return { status: record.response_status, body: record.response_body, replayed: true };
}

/**
 * Records the first answer to this request's Idempotency-Key (in the caller's transaction when
 * `db` is in one). False when another request with the same key recorded first: the caller's
 * write must not land, and findIdempotentAnswer gives the answer to send.
 */
export async function recordIdempotentAnswer(
  db: Queryable,
  request: WriteRequest,
  status: number,
  body: unknown,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_records (api_key_id, idempotency_key, request_hash, response_status, response_body)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [request.actor.keyId, request.idempotencyKey, request.fingerprint, status, body],
  );
  return rowCount === 1;
}
