// API keys as plain functions over a pg pool, shared by the API's ApiKeysService (which adds its
// cache and LISTEN connection) and the CLI: one table, one key format, one hashing.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { ACTOR_ROLES, ActorRole } from '@app/domain/shared/context';

/** The channel running APIs LISTEN on to drop their key cache. */
export const API_KEYS_CHANNEL = 'api_keys_changed';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Queryable = Pick<Pool, 'query'>;

export interface ApiKeyView {
  id: string;
  name: string;
  role: ActorRole;
  /**
   * A generated key's first 10 characters (`cfl_` and 6 of its 43 random ones), to tell keys
   * apart; empty for a key whose secret an operator chose (ADMIN_API_KEY), which may be short
   * enough that any part of it would help to guess the rest.
   */
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: ActorRole;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** sha256 of the secret's UTF-8 bytes: what `api_keys.secret_hash` stores. */
export const hashSecret = (secret: string): Buffer =>
  createHash('sha256').update(secret, 'utf8').digest();

/** A new secret: `cfl_` and 32 random bytes in base64url. */
export const generateSecret = (): string => `cfl_${randomBytes(32).toString('base64url')}`;

/** What key_prefix holds for a generated secret; anything else there is not shown. */
const GENERATED_PREFIX = /^cfl_[A-Za-z0-9_-]{6}$/;

export const isActorRole = (role: string): role is ActorRole =>
  (ACTOR_ROLES as readonly string[]).includes(role);

const toView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  // Older versions kept the first 6 characters of the ADMIN_API_KEY secret here: never shown, and
  // wiped by the next start-up with that secret (ensureApiKey).
  keyPrefix: GENERATED_PREFIX.test(r.key_prefix) ? r.key_prefix : '',
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});

/** Creates a key; the secret is in the answer and nowhere else. */
export async function createApiKey(
  db: Queryable,
  name: string,
  role: ActorRole,
): Promise<ApiKeyView & { key: string }> {
  const key = generateSecret();
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, name, role, secret_hash, key_prefix) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, name, role, key_prefix, created_at, revoked_at`,
    [randomUUID(), name, role, hashSecret(key), key.slice(0, 10)],
  );
  return { ...toView(rows[0]), key };
}

/**
 * Makes sure a key with this secret exists (the ADMIN_API_KEY bootstrap). No part of an
 * operator's secret is kept in plain text: its key_prefix is empty, and one that older versions
 * filled with the secret's first characters is wiped; the key is otherwise kept as it is.
 */
export async function ensureApiKey(
  db: Queryable,
  name: string,
  role: ActorRole,
  secret: string,
): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (id, name, role, secret_hash, key_prefix) VALUES ($1, $2, $3, $4, '')
     ON CONFLICT (secret_hash) DO UPDATE SET key_prefix = '' WHERE api_keys.key_prefix <> ''`,
    [randomUUID(), name, role, hashSecret(secret)],
  );
}

/** The key this secret hash belongs to, when it exists and is not revoked. */
export async function findActiveApiKey(
  db: Queryable,
  secretHash: Buffer,
): Promise<{ id: string; name: string; role: ActorRole } | null> {
  const { rows } = await db.query<ApiKeyRow & { secret_hash: Buffer }>({
    name: 'ceasefire_find_api_key',
    text: 'SELECT id, name, role, secret_hash, key_prefix, created_at, revoked_at FROM api_keys WHERE secret_hash = $1',
    values: [secretHash],
  });
  const key = rows[0];
  // The lookup is by hash; the comparison is constant-time all the same.
  if (!key || !timingSafeEqual(key.secret_hash, secretHash) || key.revoked_at) return null;
  return { id: key.id, name: key.name, role: key.role };
}

/**
 * Keys oldest first (ties by id), without secrets: every key, or at most `limit` of those after
 * the key `after` (keys are never deleted, so a key id marks a place in the list for good).
 */
export async function listApiKeys(
  db: Queryable,
  page: { after?: string | null; limit?: number } = {},
): Promise<ApiKeyView[]> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys
      WHERE $1::uuid IS NULL OR (created_at, id) > (SELECT created_at, id FROM api_keys WHERE id = $1)
      ORDER BY created_at, id LIMIT $2`,
    [page.after ?? null, page.limit ?? null],
  );
  return rows.map(toView);
}

/**
 * Revokes a key (revoking twice keeps the first time) and notifies every API process in the same
 * statement, so they drop their cache. Null when there is no such key.
 */
export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKeyView | null> {
  if (!UUID_PATTERN.test(id)) return null;
  const { rows } = await db.query<ApiKeyRow>(
    `WITH revoked AS (
       UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING id, name, role, key_prefix, created_at, revoked_at
     )
     SELECT revoked.*, pg_notify('${API_KEYS_CHANNEL}', id::text) FROM revoked`,
    [id],
  );
  return rows[0] ? toView(rows[0]) : null;
}
