// What the hostile campaign found, pinned as plain examples: each was a 5xx, a write that should
// not have landed, or an answer outside the contract's error shape.
import type { Answer } from './http-client';
import { LiveApi, startLiveApi } from './live-api';

describe('hostile input: what the campaign found', () => {
  let api: LiveApi;

  beforeAll(async () => {
    api = await startLiveApi('findings', { RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => api.close());

  const post = (path: string, body: string, contentType = 'application/json') =>
    api.send({
      method: 'POST',
      target: path,
      headers: { authorization: `Bearer ${api.keys.admin}`, 'content-type': contentType },
      body,
    });

  function expectError(answer: Answer, status: number, code: string, message: RegExp): void {
    expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
      status,
      body: {
        statusCode: status,
        error: expect.any(String),
        code,
        message: expect.anything(),
      },
    });
    expect(JSON.stringify(JSON.parse(answer.text).message)).toMatch(message);
  }

  it('refuses a body nested thousands of levels deep with a 400, idempotency key or not', async () => {
    const deep = `{"reason":"x","deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expectError(
      await post('/v1/violations/nope/retraction', deep),
      400,
      'VALIDATION_FAILED',
      /deeper than 32/,
    );
    const keyed = await api.send({
      method: 'POST',
      target: '/v1/violations/nope/retraction',
      headers: {
        authorization: `Bearer ${api.keys.admin}`,
        'content-type': 'application/json',
        'idempotency-key': 'deep-1',
      },
      body: deep,
    });
    expectError(keyed, 400, 'VALIDATION_FAILED', /deeper than 32/);
  });

  it('answers a form-encoded or plain-text body with 415 and creates nothing', async () => {
    const before = await api.db.pool.query('SELECT count(*)::int AS n FROM api_keys');
    const form = await post(
      '/v1/admin/api-keys',
      'name=x&role=reader',
      'application/x-www-form-urlencoded',
    );
    expectError(form, 415, 'VALIDATION_FAILED', /must be JSON/);
    expectError(
      await post('/v1/admin/api-keys', '{"name":"x","role":"reader"}', 'text/plain'),
      415,
      'VALIDATION_FAILED',
      /must be JSON/,
    );
    const after = await api.db.pool.query('SELECT count(*)::int AS n FROM api_keys');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a NUL or an unpaired surrogate in any string with a 400 naming the field', async () => {
    for (const name of ['a\u0000b', 'a\ud800b']) {
      const answer = await post('/v1/admin/api-keys', JSON.stringify({ name, role: 'reader' }));
      expectError(
        answer,
        400,
        'VALIDATION_FAILED',
        /name: contains a NUL character or an unpaired surrogate/,
      );
    }
    const query = await api.send({
      method: 'GET',
      target: '/v1/violations?partyId=%00',
      headers: { authorization: `Bearer ${api.keys.admin}` },
    });
    expectError(query, 400, 'VALIDATION_FAILED', /partyId: contains a NUL/);
  });

  it('refuses query parameters named after object members as unknown', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const answer = await api.send({
        method: 'GET',
        target: `/v1/violations?${name}=1`,
        headers: { authorization: `Bearer ${api.keys.admin}` },
      });
      expectError(answer, 400, 'VALIDATION_FAILED', new RegExp(`${name}: unknown field`));
    }
  });

  // Fastify hands a body it cannot parse to the error handler its route captured when the route
  // was loaded: a plugin registered (and awaited) before Nest sets its handler, as the queue board
  // does from onModuleInit, makes every route capture Fastify's default one (`FST_ERR_CTP_...`).
  it("answers broken JSON and prototype keys in the contract's shape", async () => {
    for (const body of ['{"reason":', '{"reason":"x","__proto__":{"polluted":"yes"}}']) {
      expectError(
        await post('/v1/violations/nope/retraction', body),
        400,
        'VALIDATION_FAILED',
        /JSON/,
      );
    }
  });

  it("answers what Node's HTTP parser refuses in the contract's shape", async () => {
    const auth = `Authorization: Bearer ${api.keys.admin}`;
    const crlf = await api.sendRaw(
      `GET /v1/agreements HTTP/1.1\r\nHost: x\r\n${auth}\r\nX-Test: a\rb`,
    );
    expectError(crlf, 400, 'VALIDATION_FAILED', /not valid HTTP/);
    const huge = await api.sendRaw(
      `GET /v1/agreements HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}`,
    );
    expectError(huge, 431, 'VALIDATION_FAILED', /headers are too large/);
  });

  it("answers what Fastify's router refuses in the contract's shape", async () => {
    const headers = { authorization: `Bearer ${api.keys.admin}` };
    const badUrl = await api.send({ method: 'GET', target: '/v1/agreements/%E0%A4%A', headers });
    expectError(badUrl, 400, 'VALIDATION_FAILED', /percent-encoded/);
    const long = await api.send({
      method: 'GET',
      target: `/v1/agreements/${'a'.repeat(101)}`,
      headers,
    });
    expectError(long, 404, 'NOT_FOUND', /nothing is found/);
  });
});
