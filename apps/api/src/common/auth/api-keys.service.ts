// API keys: random secrets shown once, stored as SHA-256 hashes (a secret of 256 random bits
// needs no slow hash), looked up by hash, refused from the next request once revoked.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import type { Actor, ActorRole } from '@app/domain';
import { AppConfig, PG_POOL } from '@app/shared';

export interface ApiKeyView {
  id: string;
  name: string;
  role: ActorRole;
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: ActorRole;
  secret_hash: Buffer;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();
const toView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** ADMIN_API_KEY, when set, is made sure to exist as an admin key. */
  async onApplicationBootstrap(): Promise<void> {
    const secret = this.config.get('ADMIN_API_KEY', { infer: true });
    if (!secret) return;
    await this.pool.query(
      `INSERT INTO api_keys (id, name, role, secret_hash, key_prefix) VALUES ($1, 'bootstrap admin', 'admin', $2, $3)
       ON CONFLICT (secret_hash) DO NOTHING`,
      [randomUUID(), hashSecret(secret), secret.slice(0, 6)],
    );
  }

  async create(name: string, role: ActorRole): Promise<ApiKeyView & { key: string }> {
    const key = `cfl_${randomBytes(32).toString('base64url')}`;
    const { rows } = await this.pool.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, name, role, secret_hash, key_prefix) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [randomUUID(), name, role, hashSecret(key), key.slice(0, 10)],
    );
    return { ...toView(rows[0]), key };
  }

  async list(): Promise<ApiKeyView[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      'SELECT * FROM api_keys ORDER BY created_at, id',
    );
    return rows.map(toView);
  }

  /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1',
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The actor a bearer secret stands for, or null for an unknown or revoked key. */
  async authenticate(secret: string): Promise<Actor | null> {
    const hash = hashSecret(secret);
    const { rows } = await this.pool.query<ApiKeyRow>({
      name: 'ceasefire_authenticate',
      text: 'SELECT * FROM api_keys WHERE secret_hash = $1',
      values: [hash],
    });
    const key = rows[0];
    // The lookup is by hash; the comparison is constant-time all the same.
    if (!key || !timingSafeEqual(key.secret_hash, hash) || key.revoked_at) return null;
    return { keyId: key.id, name: key.name, role: key.role };
  }
}
