// API.md's role table, cell by cell: every endpoint with a key of every role, and with no key, a
// revoked key, a wrong key and malformed Authorization headers. Allowed: any answer but 401/403
// (and never a 5xx); not allowed: 403; no valid key: 401; public endpoints: 2xx whatever is sent.
// Runs with the rate limiter on (the default), which sits in front of the AuthGuard.
import { ACTOR_ROLES } from '../../libs/domain/src';
import type { ActorRole } from '../../libs/domain/src';
import { Endpoint, endpointName, ENDPOINTS, fillPath, roleMay } from './endpoints';
import { seedFixture } from './fixtures';
import type { Answer } from './http-client';
import { LiveApi, startLiveApi } from './live-api';

type Row = ActorRole | 'no key' | 'revoked key' | 'wrong key' | 'malformed Authorization';

const BAD_CREDENTIALS = ['no key', 'revoked key', 'wrong key', 'malformed Authorization'] as const;
const ROWS: Row[] = [...ACTOR_ROLES, ...BAD_CREDENTIALS];

describe('access: every endpoint x every role and credential (API.md role table)', () => {
  let api: LiveApi;
  let revokedKey: string;
  const wrongKey = `cfl_${Buffer.alloc(32, 7).toString('base64url')}`;

  beforeAll(async () => {
    api = await startLiveApi('access');
    await seedFixture(api);
    const created = await api
      .http()
      .post('/v1/admin/api-keys')
      .set(api.auth('admin'))
      .send({ name: 'soon revoked', role: 'admin' })
      .expect(201);
    revokedKey = created.body.key;
    await api
      .http()
      .delete(`/v1/admin/api-keys/${created.body.id}`)
      .set(api.auth('admin'))
      .expect(200);
  });
  // What the allowed cells answered: mostly 2xx, a few 4xx where a write is refused on its merits.
  const allowedStatuses = new Map<number, number>();
  afterAll(async () => {
    console.log(
      `access: allowed cells answered ${JSON.stringify(Object.fromEntries(allowedStatuses))}`,
    );
    await api.close();
  });

  /** Authorization headers that are not `Bearer <one visible-ASCII token>` (RFC 6750), around a real key. */
  const malformed = () => {
    const admin = api.keys.admin;
    return [
      'Bearer',
      'Bearer ',
      `Token ${admin}`,
      admin,
      `Bearer ${admin} ${admin}`,
      `Bearer ${admin}\u00e9`,
      `Bearer ${'x'.repeat(513)}`,
    ];
  };

  function authorizations(row: Row): Array<string | undefined> {
    switch (row) {
      case 'no key':
        return [undefined];
      case 'revoked key':
        return [`Bearer ${revokedKey}`];
      case 'wrong key':
        return [`Bearer ${wrongKey}`];
      case 'malformed Authorization':
        return malformed();
      default:
        return [`Bearer ${api.keys[row]}`];
    }
  }

  function call(e: Endpoint, authorization: string | undefined): Promise<Answer> {
    const query = e.query ? `?${new URLSearchParams(e.query)}` : '';
    const headers: Record<string, string> = authorization ? { authorization } : {};
    let body: string | undefined;
    if (e.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(e.body.sample());
    }
    return api.send({
      method: e.method,
      target: `${fillPath(e.path)}${query}`,
      headers,
      body,
      headersOnly: e.stream,
    });
  }

  function expected(e: Endpoint, row: Row): string {
    if (e.role === 'public') return '2xx';
    if ((BAD_CREDENTIALS as readonly string[]).includes(row)) return '401';
    return roleMay(row as ActorRole, e.role) ? 'allowed' : '403';
  }

  function check(answer: Answer, expectation: string, what: string): void {
    const got = `${what} -> ${answer.status} ${answer.text.slice(0, 200)}`;
    if (answer.status >= 500) throw new Error(`5xx: ${got}`);
    switch (expectation) {
      case '2xx':
        if (answer.status < 200 || answer.status >= 300) throw new Error(`expected 2xx: ${got}`);
        return;
      case 'allowed':
        allowedStatuses.set(answer.status, (allowedStatuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 401 || answer.status === 403)
          throw new Error(`expected no 401/403: ${got}`);
        return;
      default: {
        if (String(answer.status) !== expectation)
          throw new Error(`expected ${expectation}: ${got}`);
        const body = JSON.parse(answer.text);
        expect(body).toEqual({
          statusCode: answer.status,
          error: answer.status === 401 ? 'Unauthorized' : 'Forbidden',
          code: answer.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          message: expect.any(String),
        });
      }
    }
  }

  for (const e of ENDPOINTS) {
    describe(endpointName(e), () => {
      for (const row of ROWS) {
        const expectation = expected(e, row);
        const title = `${row}: ${expectation}`;
        it(title, async () => {
          for (const authorization of authorizations(row)) {
            check(await call(e, authorization), expectation, `${endpointName(e)} as ${row}`);
          }
        });
      }
    });
  }
});
