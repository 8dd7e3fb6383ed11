// The per-key rate limit (RATE_LIMIT_PER_MINUTE, set tiny here): a key over it gets 429
// RATE_LIMITED with Retry-After while other keys pass; requests without a valid key are counted
// per client IP; health is never limited; two API instances share each count through Redis; and a
// Redis that cannot be reached lets requests through rather than refusing them.
import Redis from 'ioredis';
import type { ActorRole } from '../../libs/domain/src';
import { freePort } from '../support/private-redis';
import { TEST_REDIS_URL } from '../support/test-environment';
import type { Answer } from './http-client';
import { send } from './http-client';
import { LiveApi, startAnotherApi, startLiveApi } from './live-api';

// Above the 6 keys the harness creates with the admin key at start-up.
const LIMIT = 10;

describe('rate limit per API key', () => {
  let api: LiveApi;

  beforeAll(async () => {
    api = await startLiveApi('rate-limit', { RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => api.close());

  const get = (role: ActorRole | null, path = '/v1/agreements', port = api.port) =>
    send(port, {
      method: 'GET',
      target: path,
      headers: role ? { authorization: `Bearer ${api.keys[role]}` } : {},
    });

  function expectRateLimited(answer: Answer): void {
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.text)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/more than 10 requests a minute/),
    });
    const retryAfter = Number(answer.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  }

  it('answers 429 with Retry-After to a key over its limit, while another key still passes', async () => {
    const first = await get('monitor');
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    for (let i = 1; i < LIMIT; i++) expect((await get('monitor')).status).toBe(200);

    expectRateLimited(await get('monitor'));
    // Every route shares the key's count, writes included.
    const write = await send(api.port, {
      method: 'POST',
      target: '/v1/violations',
      headers: { authorization: `Bearer ${api.keys.monitor}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expectRateLimited(write);

    expect((await get('reader')).status).toBe(200);
  });

  it('counts requests without a valid key per client address, so keys cannot be guessed fast', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await get(null)).status).toBe(401);
    expectRateLimited(await get(null));
    const guess = await send(api.port, {
      method: 'GET',
      target: '/v1/agreements',
      headers: { authorization: 'Bearer cfl_a-guessed-key' },
    });
    expectRateLimited(guess);
  });

  it('never limits /health and /health/ready', async () => {
    for (let i = 0; i < 3 * LIMIT; i++) {
      expect((await get(null, '/health')).status).toBe(200);
      expect((await get(null, '/health/ready')).status).toBe(200);
    }
  });

  it('keeps the count in Redis, shared by every API instance', async () => {
    const other = await startAnotherApi(api, { RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    try {
      for (let i = 0; i < LIMIT; i++) {
        expect(
          (await get('verifier', '/v1/agreements', i % 2 ? other.port : api.port)).status,
        ).toBe(200);
      }
      expectRateLimited(await get('verifier', '/v1/agreements', other.port));
      expectRateLimited(await get('verifier', '/v1/agreements', api.port));
    } finally {
      await other.close();
    }
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      const ttl = await redis.pttl(
        `{${api.prefix}:rate-limit:key:${api.keyIds.verifier}:default}:hits`,
      );
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.disconnect();
    }
  });

  it('lets requests through when Redis cannot be reached (the limiter fails open)', async () => {
    const other = await startAnotherApi(api, {
      RATE_LIMIT_PER_MINUTE: '1',
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await get('auditor', '/v1/agreements', other.port)).status).toBe(200);
      }
    } finally {
      await other.close();
    }
  });
});
