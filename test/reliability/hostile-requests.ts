// Generators of hostile requests against every endpoint of endpoints.ts: broken and oversized
// bodies, wrong types, unknown and prototype keys at any depth, text PostgreSQL cannot store,
// unicode that looks like ids, SQL in every slot, forged and tampered cursors, bad times and ids,
// CR/LF and oversized headers, bad Idempotency-Key / If-Match / X-Request-Id, spoofed proxies.
// Every write (POST, DELETE) carries at least one flaw that must get it refused, so the campaign
// knows that none may land; GETs may be valid by chance, and never write.
import fc from 'fast-check';
import { ACTOR_ROLES } from '../../libs/domain/src';
import type { ActorRole } from '../../libs/domain/src';
import { Endpoint, fillPath, InputKind, PATH_VALUES, roleMay } from './endpoints';

export interface HostileRequest {
  endpoint: string;
  method: string;
  /** Path and query as they go on the request line. */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Header lines Node's client refuses to send (CR/LF inside, oversized): go raw. */
  rawLines: string[];
  /** What was done to the request (`kind: detail`), for failure messages and the tally. */
  attacks: string[];
  /** A write with a flaw: it must be refused (4xx) and write nothing. */
  mustBeRefused: boolean;
  /** Server-Sent Events: only the status and headers are read. */
  headersOnly?: boolean;
}

export interface CampaignContext {
  keys: Record<ActorRole, string>;
  /** Cursors the service really issued, to tamper with. */
  cursors: string[];
}

// ---------------------------------------------------------------- values

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '1; SELECT pg_sleep(10)--',
  '" OR ""="',
  "rel' UNION SELECT secret_hash FROM api_keys --",
  '$$; DELETE FROM events; $$',
  "%' OR 1=1 --",
  "\\'; TRUNCATE ledger_seals; --",
];

/** Strings that look like ids or words but are not ASCII slugs (RTL marks, emoji, look-alikes). */
const UNICODE = [
  '\u202eler',
  'rel\u200f',
  '\u{1F4A5}',
  'e\u0301',
  '\ufeffrel',
  '\uff52\uff45\uff4c',
  '\u0130srael',
  'rel\u2028',
  'rel\u0000',
  '\ud800',
  'a\udc00b',
  '\u0000',
];

/** Text PostgreSQL cannot keep as given. */
const UNSTORABLE = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800'];

const BAD_TIMES = [
  '2025-10-10T09:00:00',
  '2025-13-01T00:00:00Z',
  '2025-02-30T00:00:00Z',
  '2025-10-10T25:00:00Z',
  '2025-10-10T09:00:00+25:00',
  '2025-10-10T09:00:00.1234567890Z',
  '2025-10-10t09:00:00Z',
  ' 2025-10-10T09:00:00Z',
  '+002025-10-10T09:00:00Z',
  '0000-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '9999-12-31T23:59:59Z',
  '2025-10-10T09:00:00Z\u200f',
  '\uff12\uff10\uff12\uff15-10-10T09:00:00Z',
  '2025-10-10',
  '10/10/2025',
  'yesterday',
  'now',
  'NaN',
  '1e10',
  '',
  "2025-10-10T09:00:00Z'; DROP TABLE events; --",
];

const BAD_LIMITS = [
  '0',
  '501',
  '-1',
  '1.5',
  'abc',
  '',
  '1e9',
  '9'.repeat(30),
  ' ',
  'NaN',
  '[]',
  '1,2',
];

const BAD_STREAM_IDS = [
  'agreement-',
  'agreement',
  'AGREEMENT-rel',
  'foo-rel',
  `agreement-${'x'.repeat(100)}`,
  'agreement-rel\u0000',
  'violation-../../etc',
  'agreement-rel; --',
  'obligation-\u{1F4A5}',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

// Leak-pattern-free free text: the campaign looks for stack frames and paths in every answer, and
// an answer may quote the request.
const text = (max: number) =>
  fc
    .string({ unit: 'binary', maxLength: max })
    .filter((s) => !/node_modules|\.(ts|js):\d|\bat \S+ \(|\/(apps|libs)\//.test(s));

// No null: @IsOptional() takes a null optional field as absent, which would make a valid body.
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** A value that is wrong for a body field of this kind, whatever else holds. */
export const wrongFor: Record<InputKind, fc.Arbitrary<unknown>> = {
  string: fc.oneof(
    notString,
    fc.constant(''),
    fc.constantFrom(...UNSTORABLE),
    fc.nat({ max: 50 }).map((n) => 'x'.repeat(10_001 + n)),
  ),
  id: fc.oneof(
    notString,
    fc.constantFrom('', 'UPPER', 'spa ce', 'x'.repeat(65), '../etc', 'é', ...SQL, ...UNICODE),
  ),
  time: fc.oneof(notString, fc.constantFrom(...BAD_TIMES)),
  int: fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.double({ min: 0.01, max: 1000, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.integer({ max: -1 }),
    fc.constantFrom(1e12, Number.MAX_SAFE_INTEGER + 2),
    fc.array(fc.integer(), { maxLength: 2 }),
  ),
  enum: fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constantFrom('', 'unknown_value', 'VERIFIED', 'airstrike ', 'null', ...SQL, ...UNICODE),
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
    fc.constantFrom(...UNSTORABLE).map((name) => ({ name })),
  ),
  // Query-only kinds: as body fields they are simply wrong strings.
  limit: fc.constantFrom(...BAD_LIMITS),
  cursor: fc.constantFrom(...SQL),
  streamId: fc.constantFrom(...BAD_STREAM_IDS),
};

// ---------------------------------------------------------------- URL encoding

/** Percent-encodes any string, lone surrogates included (as the WTF-8 bytes a browser would not send). */
function encodeAny(s: string): string {
  let out = '';
  for (const ch of s) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** Path segments in a hostile shape, already as they go on the request line. */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL, ...UNICODE, 'UPPER-CASE', 'a'.repeat(65), 'a'.repeat(150)).map(encodeAny),
  fc.nat().map((n) => `nope-${n}`),
  fc.uuid(),
  text(20).map(encodeAny),
  fc.constantFrom(
    '..',
    '%2e%2e',
    '%2F',
    '..%2F..%2Fpackage.json',
    '%00',
    '%ED%A0%80',
    '%C0%AE',
    '%',
    '%zz',
    '%25',
    'a;b=c',
    '*',
  ),
);

// ---------------------------------------------------------------- queries

function tamper(cursor: string): fc.Arbitrary<string> {
  const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
  const reencode = (s: string) => Buffer.from(s, 'latin1').toString('base64url');
  return fc.oneof(
    fc.nat({ max: Math.max(0, cursor.length - 1) }).map((i) => {
      const c = cursor[i] === 'A' ? 'B' : 'A';
      return cursor.slice(0, i) + c + cursor.slice(i + 1);
    }),
    fc.constant(cursor.slice(0, -1)),
    fc.constant(cursor + cursor),
    fc.constant(`${cursor}=`),
    fc
      .constantFrom('-1', '999999999999999999999', 'NaN', '1e309', "1' OR '1'='1", '\u0000', '')
      .map((n) => reencode(decoded.replace(/\d+/, n))),
    fc.constant(reencode(`${decoded}.extra`)),
  );
}

function cursorValue(ctx: CampaignContext): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
    fc
      .constantFrom(
        'v1.abc',
        'v1.-5',
        's1.0',
        's1.99999999999999999999',
        'l1.obligations.-1',
        '{"position":1e309}',
        '{"__proto__":{"polluted":"yes"}}',
        ...SQL,
      )
      .map((s) => Buffer.from(s).toString('base64url')),
    fc.constantFrom(...SQL, ...UNICODE, '', '=', '....', 'x'.repeat(2000)),
    ...(ctx.cursors.length ? [fc.constantFrom(...ctx.cursors).chain(tamper)] : []),
  );
}

function queryValue(kind: InputKind, ctx: CampaignContext): fc.Arbitrary<string> {
  switch (kind) {
    case 'limit':
      return fc.oneof(fc.constantFrom(...BAD_LIMITS, ...SQL), fc.constantFrom('1', '500'));
    case 'cursor':
      return cursorValue(ctx);
    case 'time':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...BAD_TIMES) },
        { weight: 1, arbitrary: fc.constant('2025-11-01T00:00:00Z') },
      );
    case 'streamId':
      return fc.oneof(fc.constantFrom(...BAD_STREAM_IDS), fc.constant('agreement-nope'));
    case 'enum':
      return fc.constantFrom('', 'unknown_value', 'VERIFIED', 'null', ...SQL, ...UNICODE);
    default:
      return fc.oneof(
        fc.constantFrom('', 'UPPER', 'x'.repeat(65), ...SQL, ...UNICODE),
        fc.constant('rel'),
      );
  }
}

/** Parameters the endpoint does not take: random names, prototype keys, garbage. */
const strayParam: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      text(12).filter((k) => k.length > 0),
      text(12),
    )
    .map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`),
  fc
    .constantFrom(...PROTO_KEYS, '__proto__[polluted]', 'constructor[prototype][polluted]')
    .map((k) => `${encodeURIComponent(k)}=yes`),
  fc.constantFrom(
    '&&&',
    '=&=',
    '%',
    '%%',
    'a=%E0%A4%A',
    'a=%ED%A0%80',
    ';',
    'a',
    '=x',
    'a[]=1&a[]=2',
  ),
);

function query(
  e: Endpoint,
  ctx: CampaignContext,
): fc.Arbitrary<{ text: string; attacks: string[] }> {
  const takes = Object.entries(e.takes ?? {});
  const params = takes.map(([name, kind]) =>
    fc.option(
      queryValue(kind, ctx).map((v) => `${name}=${encodeAny(v)}`),
      { nil: undefined },
    ),
  );
  return fc
    .tuple(
      fc.tuple(...params),
      fc.array(strayParam, { maxLength: 2 }),
      takes.length
        ? fc.option(fc.constantFrom(...takes.map(([n]) => n)), { nil: undefined })
        : fc.constant(undefined),
    )
    .map(([own, stray, repeated]) => {
      const parts = [...own.filter((p): p is string => p !== undefined), ...stray];
      if (repeated) parts.push(`${repeated}=1`, `${repeated}=2`);
      const attacks = [];
      if (own.some((p) => p !== undefined)) attacks.push('query values');
      if (stray.length) attacks.push('stray query parameters');
      if (repeated) attacks.push('repeated query parameter');
      return { text: parts.length ? `?${parts.join('&')}` : '', attacks };
    });
}

// ---------------------------------------------------------------- headers

function keyOf(ctx: CampaignContext, e: Endpoint): fc.Arbitrary<string> {
  const allowed = ACTOR_ROLES.filter((r) => e.role === 'public' || roleMay(r, e.role));
  return fc.constantFrom(...allowed).map((r) => `Bearer ${ctx.keys[r]}`);
}

/** An Authorization header that must not get through: none, malformed, wrong, or a role without the right. */
function refusedAuthorization(ctx: CampaignContext, e: Endpoint): fc.Arbitrary<string | null> {
  const refused = ACTOR_ROLES.filter((r) => e.role !== 'public' && !roleMay(r, e.role));
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom(
      'Bearer',
      `Bearer ${ctx.keys.admin} x`,
      `Basic ${Buffer.from(`admin:${ctx.keys.admin}`).toString('base64')}`,
      `Bearer cfl_${'A'.repeat(43)}`,
      `Bearer ${'A'.repeat(4000)}`,
      'Bearer \u00e9\u00e9',
      ...SQL.map((s) => `Bearer ${s}`),
    ),
    ...(refused.length ? [fc.constantFrom(...refused).map((r) => `Bearer ${ctx.keys[r]}`)] : []),
  );
}

const latin1Text = (max: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: max,
  });

const BAD_IDEMPOTENCY_KEYS = [
  '',
  'a b',
  'x'.repeat(201),
  '\u00e9',
  '\t',
  "'; DROP TABLE events; --",
];
const BAD_IF_MATCH = ['abc', '-1', '1.5', '*', '1234567890', '3, 4', '"x"', 'W/', '', '0x10'];

type Noise = [attack: string, headers: Record<string, string>];
const oneOfHeader = (attack: string, name: string, values: string[]) =>
  fc.constantFrom(...values).map((v): Noise => [attack, { [name]: v }]);

/** Headers that are odd but legal on the wire; none of them alone makes a request invalid. */
const noiseHeader: fc.Arbitrary<Noise> = fc.oneof(
  oneOfHeader('bad X-Request-Id', 'x-request-id', [
    '',
    ' ',
    'a b',
    'x'.repeat(129),
    '\u00e9',
    'a\tb',
    '<script>',
    ...SQL,
  ]),
  oneOfHeader('spoofed X-Forwarded-For', 'x-forwarded-for', [
    'not-an-ip',
    '1.2.3.4, evil',
    '::1',
    '999.999.999.999',
    'a'.repeat(300),
    ...SQL,
  ]),
  oneOfHeader('odd Host', 'host', ['evil.example:99999', '', '[::1', '\u00e9', 'a'.repeat(300)]),
  oneOfHeader('odd Accept', 'accept', ['*/*;q=bad', 'text/csv', 'application/xml', '\u00e9']),
  fc
    .array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), latin1Text(50)), {
      minLength: 1,
      maxLength: 60,
    })
    .map((pairs): Noise => [
      'junk headers',
      Object.fromEntries(pairs.map(([k, v]) => [`x-junk-${k}`, v])),
    ]),
);

/** Header lines Node's HTTP client would refuse to send: the server's parser refuses most of them. */
const rawLine: fc.Arbitrary<[string, string]> = fc.constantFrom<[string, string]>(
  ['CR inside a header value', 'X-Test: a\rb'],
  ['LF inside a header value', 'X-Test: a\nb'],
  ['CRLF-injected header', 'X-Request-Id: abc\r\nX-Injected: yes'],
  ['obsolete line folding', 'X-Test: a\r\n b'],
  ['NUL inside a header value', 'X-Test: a\u0000b'],
  ['header name with a space', 'Bad Name: x'],
  ['header line without a colon', 'NoColonHere'],
  ['oversized header', `X-Big: ${'a'.repeat(20_000)}`],
  // Not a CRLF-separated second header: a valid If-Match could mend the flaw of a write.
  ['CR inside Idempotency-Key', 'Idempotency-Key: a\rb'],
  ['LF inside If-Match', 'If-Match: 1\n2'],
  ['second Content-Length', 'Content-Length: 0'],
  ['Transfer-Encoding beside Content-Length', 'Transfer-Encoding: chunked'],
);

// ---------------------------------------------------------------- bodies

type Json = Record<string, unknown>;
type PathTo = Array<string | number>;

/** Paths to every object (not array) in a JSON value, the root included. */
function objectPaths(value: unknown, at: PathTo = []): PathTo[] {
  if (typeof value !== 'object' || value === null) return [];
  const inner = Object.entries(value).flatMap(([k, v]) =>
    objectPaths(v, [...at, Array.isArray(value) ? Number(k) : k]),
  );
  return Array.isArray(value) ? inner : [at, ...inner];
}

/** Paths to every string in a JSON value. */
function stringPaths(value: unknown, at: PathTo = []): PathTo[] {
  if (typeof value === 'string') return [at];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    stringPaths(v, [...at, Array.isArray(value) ? Number(k) : k]),
  );
}

function setAt(root: Json, path: PathTo, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

function getAt(root: Json, path: PathTo): unknown {
  let node: unknown = root;
  for (const step of path) node = (node as Record<string | number, unknown>)[step];
  return node;
}

const MARK = '\u0001mark';

/** The body as JSON text with `rawMember` (`"key":value` text) inserted into the object at `path`. */
function withRawMember(body: Json, path: PathTo, rawMember: string): string {
  const copy = structuredClone(body);
  (getAt(copy, path) as Json)[MARK] = 0;
  return JSON.stringify(copy).replace(`${JSON.stringify(MARK)}:0`, rawMember);
}

/** Text that nests `depth` levels: `{"a":{"a":...1}}` or `[[[...]]]`. */
function nested(depth: number, arrays: boolean): string {
  return arrays
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const RAW_BROKEN_JSON = [
  '{',
  '{"a":',
  '{"title": "x",}',
  "{'single': 1}",
  '{"a": NaN}',
  '[1,,2]',
  '\u0000',
  '{"a":1}{"b":2}',
  '{"a":1e999}',
  `{"a":${'9'.repeat(400)}}`,
  `{"a":${'['.repeat(5000)}`,
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '',
  ' ',
];

interface BodyFlaw {
  attack: string;
  body: string | Buffer;
}

function bodyFlaw(e: Endpoint): fc.Arbitrary<BodyFlaw> {
  const spec = e.body!;
  const sample = spec.sample();
  const fields = Object.keys(spec.fields);
  const objects = objectPaths(sample);
  const strings = stringPaths(sample);
  const json = (attack: string) => (body: unknown) => ({ attack, body: JSON.stringify(body) });
  const flaws: Array<fc.Arbitrary<BodyFlaw>> = [
    fc.constantFrom(...spec.required).map((field) => {
      const body = spec.sample();
      delete body[field];
      return json(`required field missing: ${field}`)(body);
    }),
    fc
      .constantFrom(...fields)
      .chain((field) =>
        wrongFor[spec.fields[field]].map((value) =>
          json(`wrong type or value: ${field}`)({ ...spec.sample(), [field]: value }),
        ),
      ),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.oneof(
          fc.constantFrom(...PROTO_KEYS, ...SQL, ...UNICODE),
          text(20).filter((k) => k.length > 0 && !(k in spec.fields)),
        ),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([path, key, value]) => ({
        attack: `unknown key: ${JSON.stringify(key).slice(0, 20)} at depth ${path.length}`,
        body: withRawMember(
          sample,
          path,
          `${JSON.stringify(key)}:${JSON.stringify(value ?? null)}`,
        ),
      })),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.constantFrom(
          '"__proto__":{"polluted":"yes"}',
          '"constructor":{"prototype":{"polluted":"yes"}}',
          '"prototype":{"polluted":"yes"}',
          '"__proto__":[]',
        ),
      )
      .map(([path, member]) => ({
        attack: `prototype key: at depth ${path.length}`,
        body: withRawMember(sample, path, member),
      })),
    fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...UNSTORABLE)).map(([path, bad]) => {
      const body = spec.sample();
      setAt(body, path, `${getAt(body, path) as string}${bad}`);
      return json('NUL or lone surrogate in a string')(body);
    }),
    fc
      .oneof(
        fc.integer(),
        text(10),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      )
      .map(json('body not an object')),
    fc.constantFrom(...RAW_BROKEN_JSON).map((body) => ({ attack: 'broken JSON', body })),
    fc
      .tuple(
        fc.constantFrom(33, 100, 1000, 10_000, 100_000),
        fc.boolean(),
        fc.constantFrom(...objects),
      )
      .map(([depth, arrays, path]) => ({
        attack: `deep nesting: ${depth} levels`,
        body: withRawMember(sample, path, `"deep":${nested(depth, arrays)}`),
      })),
    fc.integer({ min: 2_000, max: 20_000 }).map((n) => ({
      attack: `wide body: ${n} unknown keys`,
      body: JSON.stringify({
        ...sample,
        ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])),
      }),
    })),
    // Built when drawn, not when the arbitrary is: a megabyte per endpoint would sit in memory.
    fc.constant(null).map(() => ({
      attack: 'body over 1 MiB',
      body: JSON.stringify({ ...sample, padding: 'x'.repeat(1024 * 1024 + 10) }),
    })),
    fc.constant(null).map(() => ({
      attack: 'invalid UTF-8 outside strings',
      body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(sample))]),
    })),
  ];
  return fc.oneof(...flaws.map((arbitrary, i) => ({ arbitrary, weight: i < 7 ? 6 : 1 })));
}

/** Free-text fields filled with SQL and odd-but-valid unicode: noise, never the reason for a refusal. */
function spiced(e: Endpoint): fc.Arbitrary<Json> {
  const spec = e.body!;
  const free = Object.keys(spec.fields).filter(
    (f) => spec.fields[f] === 'string' && f in spec.sample(),
  );
  if (!free.length) return fc.constant(spec.sample());
  return fc
    .tuple(
      fc.constantFrom(...free),
      fc.constantFrom(...SQL, '\u{1F4A5} \u200f\u202e', 'e\u0301\ufeff'),
    )
    .map(([field, value]) => ({ ...spec.sample(), [field]: value }));
}

// ---------------------------------------------------------------- requests

/** The endpoint's path with one parameter (drawn) replaced by a hostile segment. */
function hostilePath(e: Endpoint): fc.Arbitrary<{ path: string; attack: string }> {
  const params = [...e.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  return fc.tuple(fc.constantFrom(...params), hostileSegment).map(([param, segment]) => ({
    path: fillPath(e.path, { ...PATH_VALUES, [param]: segment }),
    attack: `bad path parameter: :${param} = ${segment.slice(0, 40)}`,
  }));
}

const hasParams = (e: Endpoint) => /:\w+/.test(e.path);
/**
 * API.md: Idempotency-Key on any POST, If-Match on any write. The admin POSTs append to no stream
 * and ignore a well-formed If-Match, but parse both headers like every other POST.
 */
const readsWriteHeaders = (e: Endpoint) => e.method === 'POST';

interface Flaw {
  attack: string;
  /** The whole path, when the flaw is in it. */
  path?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  authorization?: string | null;
  contentType?: string | null;
}

/** One flaw a write must be refused for. */
function writeFlaw(e: Endpoint, ctx: CampaignContext): fc.Arbitrary<Flaw> {
  const flaws: Array<fc.Arbitrary<Flaw>> = [];
  if (e.body) {
    // Bodies are where most can go wrong: they get most of the draws.
    flaws.push(bodyFlaw(e), bodyFlaw(e), bodyFlaw(e));
    flaws.push(
      fc
        .constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json-patch+json',
          null,
        )
        .map((contentType) => ({ attack: `non-JSON Content-Type: ${contentType}`, contentType })),
    );
  }
  if (hasParams(e)) flaws.push(hostilePath(e));
  if (readsWriteHeaders(e)) {
    flaws.push(
      fc
        .constantFrom(...BAD_IDEMPOTENCY_KEYS)
        .map((v) => ({ attack: 'bad Idempotency-Key', headers: { 'idempotency-key': v } })),
      fc
        .constantFrom(...BAD_IF_MATCH)
        .map((v) => ({ attack: 'bad If-Match', headers: { 'if-match': v } })),
    );
  }
  flaws.push(
    refusedAuthorization(ctx, e).map((authorization) => ({
      attack: 'refused Authorization',
      authorization,
    })),
  );
  return fc.oneof(...flaws);
}

function formEncoded(body: Json): string {
  return new URLSearchParams(
    Object.entries(body).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
  ).toString();
}

function assemble(
  e: Endpoint,
  parts: {
    method: string;
    path: string;
    query: string;
    authorization: string | null;
    headers: Record<string, string>;
    body?: string | Buffer;
    contentType?: string | null;
    rawLines: string[];
    attacks: string[];
    mustBeRefused: boolean;
  },
): HostileRequest {
  const headers: Record<string, string> = { ...parts.headers };
  if (parts.authorization !== null) headers.authorization = parts.authorization;
  if (parts.body !== undefined && parts.contentType !== null) {
    headers['content-type'] = parts.contentType ?? 'application/json';
  }
  return {
    endpoint: `${e.method} ${e.path}`,
    method: parts.method,
    target: `${parts.path}${parts.query}`,
    headers,
    body: parts.body,
    // A raw request is read until the server hangs up, which a stream never does.
    rawLines: e.stream ? [] : parts.rawLines,
    attacks: parts.attacks,
    mustBeRefused: parts.mustBeRefused,
    headersOnly: e.stream,
  };
}

const noise = fc.array(noiseHeader, { maxLength: 2 });
const rawLines = fc.oneof(
  { weight: 9, arbitrary: fc.constant([] as Array<[string, string]>) },
  { weight: 1, arbitrary: fc.array(rawLine, { minLength: 1, maxLength: 2 }) },
);

function readRequest(e: Endpoint, ctx: CampaignContext): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 12, arbitrary: fc.constant('GET') },
        { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'PUT', 'PATCH', 'TRACE') },
      ),
      hostile: hasParams(e)
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: hostilePath(e) },
          )
        : fc.constant(null),
      suffix: fc.oneof(
        { weight: 12, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: hostileSegment.map((s) => `/${s}`) },
      ),
      query: query(e, ctx),
      authorization: fc.oneof(
        { weight: 8, arbitrary: keyOf(ctx, e) },
        { weight: 1, arbitrary: refusedAuthorization(ctx, e) },
      ),
      noise,
      rawLines,
    })
    .map((r) => {
      const attacks = [
        ...r.query.attacks,
        ...r.noise.map(([a]) => a),
        ...r.rawLines.map(([a]) => a),
      ];
      if (r.method !== 'GET') attacks.push(`other method: ${r.method}`);
      if (r.hostile) attacks.push(r.hostile.attack);
      if (r.suffix) attacks.push(`path suffix: ${r.suffix.slice(0, 40)}`);
      return assemble(e, {
        method: r.method,
        path: `${r.hostile?.path ?? fillPath(e.path)}${r.suffix}`,
        query: r.query.text,
        authorization: r.authorization,
        headers: Object.assign({}, ...r.noise.map(([, h]) => h)),
        rawLines: r.rawLines.map(([, line]) => line),
        attacks,
        mustBeRefused: false,
      });
    });
}

function writeRequest(e: Endpoint, ctx: CampaignContext): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      flaw: writeFlaw(e, ctx),
      base: e.body ? spiced(e) : fc.constant(undefined),
      authorization: keyOf(ctx, e),
      noise,
      rawLines,
    })
    .map((r) => {
      const { flaw } = r;
      let body: string | Buffer | undefined =
        r.base === undefined ? undefined : JSON.stringify(r.base);
      if (flaw.body !== undefined) body = flaw.body;
      else if (flaw.contentType === 'application/x-www-form-urlencoded' && r.base)
        body = formEncoded(r.base);
      return assemble(e, {
        method: e.method,
        path: flaw.path ?? fillPath(e.path),
        query: '',
        authorization: flaw.authorization === undefined ? r.authorization : flaw.authorization,
        headers: Object.assign({}, ...r.noise.map(([, h]) => h), flaw.headers ?? {}),
        body,
        contentType: flaw.contentType,
        rawLines: r.rawLines.map(([, line]) => line),
        attacks: [flaw.attack, ...r.noise.map(([a]) => a), ...r.rawLines.map(([a]) => a)],
        mustBeRefused: true,
      });
    });
}

/** A hostile request to one of `endpoints` (each endpoint as likely as any other). */
export function hostileRequest(
  endpoints: Endpoint[],
  ctx: CampaignContext,
): fc.Arbitrary<HostileRequest> {
  return fc.oneof(
    ...endpoints.map((e) => (e.method === 'GET' ? readRequest(e, ctx) : writeRequest(e, ctx))),
  );
}
