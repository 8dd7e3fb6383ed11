import { canonicalJson, NotCanonicalizable } from './canonical-json';
import { bodyHash, encodeBody } from './hash-chain';

describe('canonicalJson', () => {
  it('sorts keys at every depth, so key order never changes the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [], c: null } })).toBe('{"a":{"c":null,"d":[]},"b":1}');
    expect(canonicalJson({ a: { c: null, d: [] }, b: 1 })).toBe(
      canonicalJson({ b: 1, a: { d: [], c: null } }),
    );
  });

  it('writes numbers in their shortest ECMAScript form, as they come back from jsonb', () => {
    expect(canonicalJson([1.0, 1e21, 1e-7, -0, 0.5, 123456789012345680000])).toBe(
      '[1,1e+21,1e-7,0,0.5,123456789012345680000]',
    );
    expect(canonicalJson(JSON.parse('[1.0, 1000000000000000000000, 0.0000001]'))).toBe(
      '[1,1e+21,1e-7]',
    );
  });

  it('accepts text that only looks like a forbidden escape', () => {
    expect(canonicalJson({ s: '\\u0000 and \\ud800 typed out' })).toBe(
      '{"s":"\\\\u0000 and \\\\ud800 typed out"}',
    );
    expect(canonicalJson({ s: '😀 paired surrogates are fine' })).toBe(
      '{"s":"😀 paired surrogates are fine"}',
    );
  });

  it('keeps unicode as is and escapes what JSON must', () => {
    expect(canonicalJson({ ключ: 'שלום 👩🏽‍⚕️ "q" \\ \n' })).toBe(
      '{"ключ":"שלום 👩🏽‍⚕️ \\"q\\" \\\\ \\n"}',
    );
  });

  it('leaves out undefined fields as JSON.stringify does, and writes Dates as ISO strings', () => {
    expect(canonicalJson({ a: undefined, b: new Date(0) })).toBe(
      '{"b":"1970-01-01T00:00:00.000Z"}',
    );
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  it.each([
    ['NaN', { n: NaN }],
    ['Infinity', { n: Infinity }],
    ['a NUL character', { s: 'a\u0000' }],
    ['an unpaired high surrogate', { s: '\ud83d' }],
    ['an unpaired low surrogate', { s: 'x\ude00' }],
    ['a NUL in a key', { 'a\u0000': 1 }],
    ['a NUL after an escaped backslash', { s: '\\\u0000' }],
    ['a bigint', { n: 1n }],
    ['a function', { f: () => 1 }],
  ])('refuses %s', (_what, value) => {
    expect(() => canonicalJson(value)).toThrow(NotCanonicalizable);
  });

  it('hashes the same body the same way whatever its key order or number spelling', () => {
    const body = (data: unknown) => ({
      eventId: 'A5A8B1E2-0000-4000-8000-000000000000',
      type: 'T',
      schemaVersion: 1,
      data,
      metadata: {},
      occurredAt: new Date('2025-10-10T09:00:00Z'),
    });
    expect(bodyHash(body({ x: 1.0, y: [1e21] }))).toEqual(
      bodyHash(body(JSON.parse('{"y":[1000000000000000000000],"x":1}'))),
    );
    expect(bodyHash(body({ x: 1 }))).not.toEqual(bodyHash(body({ x: 2 })));
  });

  it('assembles the event body from its parts exactly as canonicalJson of the whole', () => {
    const body = {
      eventId: 'A5A8B1E2-0000-4000-8000-000000000000',
      type: 'ViolationReported',
      schemaVersion: 2,
      data: { z: 1, a: ['é', null] },
      metadata: { actor: { role: 'monitor' } },
      occurredAt: new Date('2025-10-10T09:00:00Z'),
    };
    expect(encodeBody(body).canonical).toBe(
      canonicalJson({
        ...body,
        eventId: body.eventId.toLowerCase(),
        occurredAt: body.occurredAt.toISOString(),
      }),
    );
    expect(encodeBody({ ...body, occurredAt: null }).canonical).toContain('"occurredAt":null');
  });
});
