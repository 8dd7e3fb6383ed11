// Property-based: thousands of generated malformed requests against every write endpoint. Every
// answer must be a 4xx in the contract's error shape (never a 5xx, never a stack trace), and the
// event count must not move. Each mutation is built to be invalid for certain.
import fc from 'fast-check';
import type { ActorRole } from '../../libs/domain/src';
import { ApiHarness, october2025Agreement, startApi } from '../support/api-harness';

type Kind = 'string' | 'time' | 'int' | 'number' | 'enum' | 'array' | 'object' | 'source' | 'id';
interface Endpoint {
  path: string;
  role: ActorRole;
  body: Record<string, unknown>;
  required: string[];
  kinds: Record<string, Kind>;
  /** Nested objects whose unknown fields must be refused too. */
  nested?: string[];
}

const RUNS = Number(process.env.MALFORMED_RUNS ?? 1200);
const KNOWN_KEYS = new Set<string>();

const endpoints: Endpoint[] = [
  {
    path: '/v1/agreements',
    role: 'coordinator',
    body: { ...october2025Agreement('prop-new'), id: 'prop-new' },
    required: ['title', 'effectiveAt', 'parties', 'phases'],
    kinds: {
      id: 'id',
      title: 'string',
      effectiveAt: 'time',
      signedAt: 'time',
      parties: 'array',
      phases: 'array',
      sources: 'array',
    },
  },
  {
    path: '/v1/agreements/prop/phases/phase-2/start',
    role: 'coordinator',
    body: { startedAt: '2025-11-01T00:00:00Z' },
    required: ['startedAt'],
    kinds: { startedAt: 'time' },
  },
  {
    path: '/v1/agreements/prop/casualty-tallies',
    role: 'monitor',
    body: {
      source: 'Gaza Health Ministry',
      asOf: '2025-11-10T00:00:00Z',
      killed: 242,
      injured: 600,
      note: 'cumulative',
    },
    required: ['source', 'asOf', 'killed', 'injured'],
    kinds: {
      source: 'source',
      asOf: 'time',
      killed: 'int',
      injured: 'int',
      attributedToPartyId: 'id',
      note: 'string',
    },
  },
  {
    path: '/v1/agreements/prop/obligations',
    role: 'coordinator',
    body: {
      phaseKey: 'phase-1',
      kind: 'hostage_release',
      title: 'Release of the remaining living hostages',
      responsiblePartyId: 'hamas',
      beneficiaryPartyId: 'israel',
      dueWithin: { hours: 72, after: 'agreement_effective' },
      target: { quantity: 20, unit: 'hostages' },
    },
    required: ['phaseKey', 'kind', 'title', 'responsiblePartyId'],
    kinds: {
      phaseKey: 'id',
      kind: 'enum',
      title: 'string',
      description: 'string',
      clause: 'string',
      responsiblePartyId: 'id',
      beneficiaryPartyId: 'id',
      dueAt: 'time',
      dueWithin: 'object',
      target: 'object',
      conditions: 'array',
      sources: 'array',
    },
    nested: ['dueWithin', 'target'],
  },
  {
    path: '/v1/obligations/prop-ob/progress',
    role: 'monitor',
    body: {
      quantity: 4,
      occurredAt: '2025-10-13T10:00:00Z',
      source: 'ICRC',
      note: 'four released',
    },
    required: ['quantity', 'occurredAt', 'source'],
    kinds: { quantity: 'int', occurredAt: 'time', source: 'source', note: 'string' },
  },
  {
    path: '/v1/obligations/prop-ob/fulfilment-claims',
    role: 'monitor',
    body: {
      claimedByPartyId: 'hamas',
      occurredAt: '2025-10-13T10:00:00Z',
      source: 'Hamas statement',
    },
    required: ['claimedByPartyId', 'occurredAt', 'source'],
    kinds: { claimedByPartyId: 'id', occurredAt: 'time', source: 'source', note: 'string' },
  },
  {
    path: '/v1/obligations/prop-ob/verification',
    role: 'verifier',
    body: { outcome: 'verified', note: 'ICRC confirmed' },
    required: ['outcome', 'note'],
    kinds: { outcome: 'enum', note: 'string', occurredAt: 'time', source: 'source' },
  },
  {
    path: '/v1/obligations/prop-ob/deadline',
    role: 'coordinator',
    body: { dueAt: '2025-10-20T00:00:00Z', reason: 'renegotiated' },
    required: ['dueAt', 'reason'],
    kinds: { dueAt: 'time', reason: 'string', source: 'source' },
  },
  {
    path: '/v1/obligations/prop-ob/state',
    role: 'coordinator',
    body: { action: 'suspend', reason: 'citing violations' },
    required: ['action', 'reason'],
    kinds: { action: 'enum', reason: 'string', citedViolationIds: 'array' },
  },
  {
    path: '/v1/violations',
    role: 'monitor',
    body: {
      agreementId: 'prop',
      occurredAt: '2025-10-28T14:30:00Z',
      location: { name: 'Gaza City', lat: 31.5, lon: 34.45, precision: 'approximate' },
      category: 'airstrike',
      allegedPartyId: 'israel',
      description: 'Strike on a residential building',
      casualties: { killed: 1, injured: 4 },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
    },
    required: [
      'agreementId',
      'occurredAt',
      'location',
      'category',
      'allegedPartyId',
      'description',
      'sources',
    ],
    kinds: {
      id: 'id',
      agreementId: 'id',
      occurredAt: 'time',
      location: 'object',
      category: 'enum',
      allegedPartyId: 'id',
      description: 'string',
      casualties: 'object',
      sources: 'array',
      relatedObligationIds: 'array',
    },
    nested: ['location', 'casualties'],
  },
  {
    path: '/v1/violations/prop-v/sources',
    role: 'monitor',
    body: { name: 'Reuters', kind: 'media' },
    required: ['name'],
    kinds: {
      name: 'string',
      kind: 'enum',
      url: 'string',
      publishedAt: 'time',
      independenceGroup: 'string',
    },
  },
  {
    path: '/v1/violations/prop-v/casualties',
    role: 'monitor',
    body: { killed: 2, injured: 4, reason: 'hospital update', source: 'Gaza Health Ministry' },
    required: ['killed', 'injured', 'reason', 'source'],
    kinds: { killed: 'int', injured: 'int', reason: 'string', source: 'source' },
  },
  {
    path: '/v1/violations/prop-v/disputes',
    role: 'verifier',
    body: { partyId: 'israel', statement: 'No strike took place there' },
    required: ['partyId', 'statement'],
    kinds: { partyId: 'id', statement: 'string', source: 'source' },
  },
  {
    path: '/v1/violations/prop-v/verification',
    role: 'verifier',
    body: { outcome: 'confirmed', note: 'imagery' },
    required: ['outcome', 'note'],
    kinds: { outcome: 'enum', note: 'string' },
  },
  {
    path: '/v1/violations/prop-v/retraction',
    role: 'monitor',
    body: { reason: 'duplicate report' },
    required: ['reason'],
    kinds: { reason: 'string' },
  },
  {
    path: '/v1/admin/api-keys',
    role: 'admin',
    body: { name: 'generated', role: 'reader' },
    required: ['name', 'role'],
    kinds: { name: 'string', role: 'enum' },
  },
];
for (const e of endpoints) for (const k of Object.keys(e.kinds)) KNOWN_KEYS.add(k);

// Values that are wrong for a field of each kind, whatever else holds.
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);
const wrongFor: Record<Kind, fc.Arbitrary<unknown>> = {
  string: fc.oneof(
    notString,
    fc.constant(''),
    fc.string({ minLength: 10_001, maxLength: 10_050 }).map((s) => s.padEnd(10_001, 'x')),
  ),
  id: fc.oneof(
    notString,
    fc.constantFrom(
      '',
      'UPPER',
      'spa ce',
      'x'.repeat(65),
      '../etc',
      'é',
      "'; DROP TABLE events; --",
    ),
  ),
  time: fc.oneof(
    notString,
    fc.constantFrom(
      '2025-10-10T09:00:00',
      '2025-13-01T00:00:00Z',
      '2025-02-30T00:00:00Z',
      'yesterday',
      '',
      '2025-10-10',
      '10/10/2025',
      '2025-10-10T25:00:00Z',
    ),
  ),
  int: fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.double({ min: 0.01, max: 1000, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.integer({ max: -1 }),
    fc.constant(1e12),
    fc.array(fc.integer(), { maxLength: 2 }),
  ),
  number: fc.oneof(fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(1e9), fc.constant(-1e9)),
  enum: fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constantFrom('', 'unknown_value', 'VERIFIED', 'airstrike ', 'null'),
  ),
  array: fc.oneof(
    fc.integer(),
    fc.string({ maxLength: 5 }),
    fc.boolean(),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    fc.array(fc.oneof(fc.integer(), fc.boolean()), { minLength: 1, maxLength: 3 }),
    fc.constant(new Array(600).fill('x')),
  ),
  object: fc.oneof(
    fc.integer(),
    fc.string({ maxLength: 5 }),
    fc.boolean(),
    fc.array(fc.integer(), { maxLength: 2 }),
  ),
  source: fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
    fc.constant(''),
    fc.constant({ kind: 'media' }),
    fc.constant({ name: 'x', kind: 'gossip' }),
    fc.constant({ name: 'x', url: 'javascript:alert(1)' }),
    fc.constant({ name: 'x', extra: true }),
  ),
};

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
  const body: Record<string, unknown> = JSON.parse(JSON.stringify(e.body));
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
    const ok = async (path: string, role: ActorRole, body: unknown) => {
      const res = await api
        .http()
        .post(path)
        .set(api.auth(role))
        .send(body as object);
      if (res.status >= 300)
        throw new Error(`setup ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await ok('/v1/agreements', 'coordinator', october2025Agreement('prop'));
    await ok('/v1/agreements/prop/obligations', 'coordinator', {
      id: 'prop-ob',
      phaseKey: 'phase-1',
      kind: 'remains_return',
      title: 'Return of the remains of deceased hostages',
      responsiblePartyId: 'hamas',
      dueWithin: { hours: 72, after: 'agreement_effective' },
      target: { quantity: 28, unit: 'remains' },
    });
    await ok('/v1/violations', 'monitor', {
      ...endpoints.find((e) => e.path === '/v1/violations')!.body,
      id: 'prop-v',
    });
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
