// API keys: random secrets shown once, stored as SHA-256 hashes (a secret of 256 random bits
// needs no slow hash), looked up by hash, refused from the next request once revoked.
//
// No timing leaks the secret: it is hashed before it meets anything stored, and only its hash is
// looked up (in the cache below, then by the unique index on api_keys.secret_hash). How long a
// lookup takes may depend on how many leading bytes of that hash match a stored hash, but SHA-256
// is preimage-resistant: a guess whose hash shares a prefix with a stored hash is no closer to the
// secret than any other guess. So there is no key-id prefix to search by and no secret to compare
// in constant time; findActiveApiKey still checks the row's hash with timingSafeEqual.
//
// Known keys are cached in the process, which saves a database round trip on every request. The
// cache is only used while this process LISTENs to `api_keys_changed`: a revocation notifies in
// its own transaction, the revoking process drops the key before answering, other processes drop
// it when PostgreSQL delivers the notification (milliseconds), and while the listening connection
// is down the cache is off and every request reads the table.
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Pool } from 'pg';
import type { Actor } from '@app/domain';
import { AppConfig, PG_POOL } from '@app/shared';
import {
  API_KEYS_CHANNEL,
  ApiKeyView,
  ensureApiKey,
  findActiveApiKey,
  hashSecret,
  revokeApiKey,
} from '@app/shared/api-keys/api-keys.store';

export type { ApiKeyView };

const CHANNEL = API_KEYS_CHANNEL;
const CACHE_SIZE = 10_000;
const RELISTEN_AFTER_MS = 1000;

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ApiKeys');
  /** secret hash (hex) -> actor, for keys known to be valid; used only while `listening`. */
  private readonly cache = new Map<string, Actor>();
  private listener: Client | null = null;
  private listening = false;
  /** Bumped on every clear: a lookup that straddles a revocation must not re-cache the key. */
  private generation = 0;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.setListening(false);
    await this.listener?.end().catch(() => undefined);
  }

  /** Opens the notification connection; on any failure the cache is off until it is back. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const url = this.config.get('DATABASE_URL', { infer: true });
    const client = new Client({
      connectionString: url,
      application_name: 'ceasefire-ledger api-keys listener',
    });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      this.setListening(false);
      client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen(), RELISTEN_AFTER_MS).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => {
      if (n.channel === CHANNEL) this.forget();
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.setListening(true);
    } catch (err) {
      this.logger.warn(`key cache off: cannot listen for revocations (${(err as Error).message})`);
      lost();
    }
  }

  private setListening(on: boolean): void {
    this.listening = on;
    this.forget();
  }

  private forget(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** ADMIN_API_KEY, when set, is made sure to exist as an admin key. */
  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    const secret = this.config.get('ADMIN_API_KEY', { infer: true });
    if (!secret) return;
    await ensureApiKey(this.pool, 'bootstrap admin', 'admin', secret);
  }

  /**
   * Revokes a key; false when there is no such key. Revoking twice keeps the first time. Every
   * API process is told in the same transaction; this one forgets its cache before answering.
   */
  async revoke(id: string): Promise<boolean> {
    const revoked = await revokeApiKey(this.pool, id);
    this.forget();
    return revoked !== null;
  }

  /** The actor a bearer secret stands for, or null for an unknown or revoked key. */
  async authenticate(secret: string): Promise<Actor | null> {
    const hash = hashSecret(secret);
    const cacheKey = hash.toString('hex');
    const cached = this.listening ? this.cache.get(cacheKey) : undefined;
    if (cached) return cached;
    const generation = this.generation;
    const key = await findActiveApiKey(this.pool, hash);
    if (!key) return null;
    const actor: Actor = { keyId: key.id, name: key.name, role: key.role };
    if (this.listening && generation === this.generation) {
      if (this.cache.size >= CACHE_SIZE) this.cache.clear();
      this.cache.set(cacheKey, actor);
    }
    return actor;
  }
}
