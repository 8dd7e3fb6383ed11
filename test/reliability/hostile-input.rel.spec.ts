// Property-based: thousands of hostile requests (hostile-requests.ts) across every endpoint of
// API.md that exists. Every answer: never a 5xx, errors in the contract's shape with one of its
// codes, no stack frame or source path, no reflected header; every write built to be refused is
// refused; and afterwards nothing was written (events, API keys), nothing polluted
// Object.prototype, and the service still answers. RELIABILITY_SCALE=full: 10,000 requests; the
// default (ci) 2,000. The rate limiter is on (at its maximum) so that its path sees the same input.
import fc from 'fast-check';
import { ENDPOINTS } from './endpoints';
import { FIXTURE, seedFixture } from './fixtures';
import type { Answer } from './http-client';
import { CampaignContext, HostileRequest, hostileRequest } from './hostile-requests';
import { LiveApi, startLiveApi } from './live-api';
import { atScale } from './scale';

const RUNS = atScale({ ci: 2_000, full: 10_000 });

const CONTRACT_CODES = new Set([
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'DUPLICATE_ID',
  'RULE_VIOLATED',
  'IDEMPOTENCY_KEY_REUSED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  // Ours, for 429 (API.md names no code for it).
  'RATE_LIMITED',
]);

// A stack frame, a source file with a line, a path into the code or the machine.
const LEAK =
  /\bat [\w$.<>]+ \(|node_modules|\.(?:ts|js):\d+|\/(?:apps|libs)\/[\w/-]+\.(?:ts|js)|"devDependencies"|root:x:0:0/;

function dispatch(api: LiveApi, req: HostileRequest): Promise<Answer> {
  if (req.rawLines.length === 0) {
    return api.send({
      method: req.method,
      target: req.target,
      headers: req.headers,
      body: req.body,
      headersOnly: req.headersOnly,
    });
  }
  const body = req.body ?? '';
  const lines = [
    `${req.method} ${req.target} HTTP/1.1`,
    ...('host' in req.headers ? [] : ['Host: 127.0.0.1']),
    ...Object.entries(req.headers).map(([name, value]) => `${name}: ${value}`),
    // Always: a Transfer-Encoding line without a body to follow would leave the server waiting.
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...req.rawLines,
  ];
  return api.sendRaw(lines.join('\r\n'), body);
}

/** What is wrong with an answer, or null. */
function problemWith(req: HostileRequest, res: Answer): string | null {
  if (res.status === 0) return 'the server hung up without an answer';
  if (res.status >= 500) return 'a 5xx';
  if (req.mustBeRefused && res.status < 400) return 'a flawed write was not refused';
  if (LEAK.test(res.text)) return 'the answer shows internals';
  if (res.headers['x-injected'] !== undefined) return 'an injected header came back';
  const requestId = res.headers['x-request-id'];
  if (requestId !== undefined && !/^[\x21-\x7e]{1,128}$/.test(String(requestId))) {
    return 'an unsafe X-Request-Id came back';
  }
  if (res.status < 400 || req.method === 'HEAD') return null;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text);
  } catch {
    return 'an error that is not JSON';
  }
  const keys = Object.keys(body ?? {})
    .sort()
    .join(',');
  if (keys !== 'code,error,message,statusCode') return `an error with the keys ${keys}`;
  if (body.statusCode !== res.status) return 'statusCode is not the HTTP status';
  if (!CONTRACT_CODES.has(body.code as string))
    return `code ${String(body.code)} is not the contract's`;
  if (typeof body.error !== 'string' || body.error === '') return 'error is not a status title';
  const message = body.message;
  const isMessage =
    typeof message === 'string' ||
    (Array.isArray(message) && message.every((m) => typeof m === 'string'));
  return isMessage ? null : 'message is not a string or strings';
}

const describeRequest = (req: HostileRequest, res: Answer) =>
  [
    `${req.endpoint}: ${req.attacks.join('; ')}`,
    `${req.method} ${req.target.slice(0, 300)}`,
    `headers ${JSON.stringify(req.headers).slice(0, 300)}`,
    ...req.rawLines.map((l) => `raw ${JSON.stringify(l.slice(0, 100))}`),
    `body ${JSON.stringify(String(req.body ?? '').slice(0, 300))}`,
    `-> ${res.status} ${res.text.slice(0, 400)}`,
  ].join('\n  ');

describe('hostile input across every endpoint (property-based)', () => {
  let api: LiveApi;
  let ctx: CampaignContext;

  beforeAll(async () => {
    api = await startLiveApi('hostile', { RATE_LIMIT_PER_MINUTE: '1000000' });
    await seedFixture(api);
    const cursors: string[] = [];
    // Real cursors to tamper with (the lists' own are forged: their projections stay empty).
    for (const path of [
      `/v1/streams/agreement-${FIXTURE.agreement}/events?limit=1`,
      '/v1/events?limit=1',
    ]) {
      const res = await api.http().get(path).set(api.auth('admin')).expect(200);
      if (res.body.nextCursor) cursors.push(res.body.nextCursor);
    }
    ctx = { keys: api.keys, cursors };
  });
  afterAll(() => api.close());

  const counts = async () =>
    (
      await api.db.pool.query(
        `SELECT (SELECT count(*) FROM events)::int AS events,
                (SELECT count(*) FROM api_keys)::int AS keys,
                (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::int AS revoked`,
      )
    ).rows[0];

  it(
    `answers ${RUNS} hostile requests without a 5xx, in the error shape, and writes nothing`,
    async () => {
      const before = await counts();
      const statuses = new Map<number, number>();
      const attacks = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(hostileRequest(ENDPOINTS, ctx), async (req) => {
          const res = await dispatch(api, req);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          for (const attack of req.attacks) {
            const kind = attack.split(':')[0];
            attacks.set(kind, (attacks.get(kind) ?? 0) + 1);
          }
          const problem = problemWith(req, res);
          if (problem) throw new Error(`${problem}:\n  ${describeRequest(req, res)}`);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );

      expect(await counts()).toEqual(before);
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect((await api.send({ method: 'GET', target: '/health' })).status).toBe(200);
      console.log(
        `hostile input: ${RUNS} requests over ${ENDPOINTS.length} endpoints; statuses ` +
          `${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; attacks ` +
          `${JSON.stringify(Object.fromEntries([...attacks].sort((a, b) => b[1] - a[1])))}`,
      );
    },
    RUNS * 200,
  );
});
