// Keys are compared in constant time with respect to the secret: the secret is hashed before it
// meets anything stored, so what any lookup or comparison sees is its SHA-256, never the secret.
import { createHash } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { Pool, QueryConfig } from 'pg';
import type { AppConfig } from '@app/shared';
import { ApiKeysService } from './api-keys.service';

const SECRET = 'cfl_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** A pool holding one key, recording every query it is asked. */
function fakePool(stored: Buffer) {
  const seen: QueryConfig[] = [];
  const pool = {
    query: async (query: QueryConfig) => {
      seen.push(query);
      const [hash] = query.values as [Buffer];
      const rows = hash.equals(stored)
        ? [{ id: 'k1', name: 'field desk', role: 'monitor', secret_hash: stored, revoked_at: null }]
        : [];
      return { rows };
    },
  };
  return { pool: pool as unknown as Pool, seen };
}

const config = { get: () => undefined } as unknown as ConfigService<AppConfig, true>;

describe('ApiKeysService.authenticate', () => {
  it('looks a key up by the SHA-256 of the secret, and the secret itself reaches no query', async () => {
    const { pool, seen } = fakePool(sha256(SECRET));
    const keys = new ApiKeysService(pool, config);

    await expect(keys.authenticate(SECRET)).resolves.toEqual({
      keyId: 'k1',
      name: 'field desk',
      role: 'monitor',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].values).toEqual([sha256(SECRET)]);
    expect(JSON.stringify(seen)).not.toContain(SECRET);
  });

  it('refuses a guess that shares all but the last character of the secret', async () => {
    const { pool, seen } = fakePool(sha256(SECRET));
    const keys = new ApiKeysService(pool, config);
    const guess = `${SECRET.slice(0, -1)}H`;

    await expect(keys.authenticate(guess)).resolves.toBeNull();
    // What the lookup compares is unrelated to how much of the secret the guess got right: the
    // two hashes already differ in their first bytes.
    const looked = seen[0].values![0] as Buffer;
    expect(looked.subarray(0, 4).equals(sha256(SECRET).subarray(0, 4))).toBe(false);
  });
});
