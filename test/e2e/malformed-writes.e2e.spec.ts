// Property-based: thousands of generated malformed requests against every write endpoint. Every
// answer must be a 4xx in the contract's error shape (never a 5xx, never a stack trace), and the
// event count must not move. Each mutation is built to be invalid for certain.
import fc from 'fast-check';
import type { ActorRole } from '../../libs/domain/src';
import { ENDPOINTS, fillPath, InputKind } from '../reliability/endpoints';
import { seedFixture } from '../reliability/fixtures';
import { wrongFor } from '../reliability/hostile-requests';
import { ApiHarness, startApi } from '../support/api-harness';

// The write endpoints of the one endpoint list (test/reliability/endpoints.ts), with the kinds of
// their body fields; the reliability fixture gives every id in their paths.
interface Endpoint {
  path: string;
  role: ActorRole;
  body: () => Record<string, unknown>;
  required: string[];
  kinds: Record<string, InputKind>;
  /** Nested objects whose unknown fields must be refused too. */
  nested?: string[];
}

const RUNS = Number(process.env.MALFORMED_RUNS ?? 1200);

const endpoints: Endpoint[] = ENDPOINTS.flatMap((e) =>
  e.method === 'POST' && e.body
    ? [
        {
          path: fillPath(e.path),
          role: e.role as ActorRole,
          body: e.body.sample,
          required: e.body.required,
          kinds: e.body.fields,
          nested: e.body.nested,
        },
      ]
    : [],
);
const KNOWN_KEYS = new Set(endpoints.flatMap((e) => Object.keys(e.kinds)));

type Mutation =
  | { kind: 'drop'; field: string }
  | { kind: 'wrong'; field: string; value: unknown }
  | { kind: 'unknown'; key: string; value: unknown }
  | { kind: 'nested-unknown'; field: string; key: string }
  | { kind: 'not-object'; value: unknown }
  | { kind: 'raw'; text: string };

const unknownKey = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'ÿ',
      '💥',
      'toString',
      '$where',
      'id; DROP',
    ),
  )
  .filter((k) => !KNOWN_KEYS.has(k));

function mutation(e: Endpoint): fc.Arbitrary<Mutation> {
  const fields = Object.keys(e.kinds);
  return fc.oneof(
    fc.constantFrom(...e.required).map((field) => ({ kind: 'drop', field }) as Mutation),
    fc
      .constantFrom(...fields)
      .chain((field) =>
        wrongFor[e.kinds[field]].map((value) => ({ kind: 'wrong', field, value }) as Mutation),
      ),
    fc
      .tuple(unknownKey, fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => ({ kind: 'unknown', key, value }) as Mutation),
    ...(e.nested?.length
      ? [
          fc
            .tuple(fc.constantFrom(...e.nested), unknownKey)
            .map(([field, key]) => ({ kind: 'nested-unknown', field, key }) as Mutation),
        ]
      : []),
    fc
      .oneof(
        fc.integer(),
        fc.string({ maxLength: 10 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      )
      .map((value) => ({ kind: 'not-object', value }) as Mutation),
    fc
      .constantFrom(
        '{',
        '{"a":',
        '{"title": "x",}',
        "{'single': 1}",
        '{"a": NaN}',
        '[1,,2]',
        '\u0000',
        '{"__proto__": {"admin": true}}',
        `{${'"a":{'.repeat(2000)}`,
        '{"constructor": {"prototype": {"x": 1}}}',
      )
      .map((text) => ({ kind: 'raw', text }) as Mutation),
  );
}

function apply(e: Endpoint, m: Mutation): { json?: unknown; text?: string } {
  const body = e.body();
  switch (m.kind) {
    case 'drop':
      delete body[m.field];
      return { json: body };
    case 'wrong':
      body[m.field] = m.value;
      return { json: body };
    case 'unknown':
      // As text, so that keys like __proto__ reach the server as keys.
      return {
        text: `${JSON.stringify(body).slice(0, -1)},${JSON.stringify(m.key)}:${JSON.stringify(m.value ?? null)}}`,
      };
    case 'nested-unknown': {
      const inner = { ...(body[m.field] as Record<string, unknown>) };
      return {
        text: JSON.stringify({ ...body, [m.field]: inner }).replace(
          `"${m.field}":{`,
          `"${m.field}":{${JSON.stringify(m.key)}:1,`,
        ),
      };
    }
    case 'not-object':
      return { text: JSON.stringify(m.value) };
    case 'raw':
      return { text: m.text };
  }
}

describe('malformed writes (property-based)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi();
    await seedFixture(api);
  });
  afterAll(() => api.close());

  it(`answers ${RUNS} malformed requests with a 4xx in the error shape and writes nothing`, async () => {
    const before = await api.eventCount();
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .nat({ max: endpoints.length - 1 })
          .chain((i) => fc.tuple(fc.constant(i), mutation(endpoints[i]))),
        async ([i, m]) => {
          const e = endpoints[i];
          const { json, text } = apply(e, m);
          const req = api
            .http()
            .post(e.path)
            .set(api.auth(e.role))
            .set('Content-Type', 'application/json');
          const res = await req.send(text ?? JSON.stringify(json));
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const where = `${e.path} ${JSON.stringify(m).slice(0, 300)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          if (res.status < 400 || res.status >= 500) throw new Error(`not a 4xx: ${where}`);
          expect(Object.keys(res.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
          expect(res.body.statusCode).toBe(res.status);
          expect(JSON.stringify(res.body)).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await api.eventCount()).toBe(before);
    console.log(
      `malformed writes: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(seen))}`,
    );
  });
});
