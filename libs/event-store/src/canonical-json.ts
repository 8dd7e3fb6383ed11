// Canonical JSON (RFC 8785 style): sorted keys, no whitespace, ECMAScript number form. It is
// computed over JavaScript values, so it gives the same text before storing and after jsonb's
// round trip (jsonb rewrites 1e21 as 1000000000000000000000 and reorders keys, but both parse
// back to the same values).

export class NotCanonicalizable extends Error {
  constructor(path: string, why: string) {
    super(`value at ${path || '$'} cannot be stored: ${why}`);
    this.name = 'NotCanonicalizable';
  }
}

// PostgreSQL's jsonb refuses \u0000, and unpaired surrogates are not Unicode text.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalJson(value: unknown): string {
  return encode(value, '');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalizable(path, 'not a finite number');
      return JSON.stringify(value);
    case 'string':
      if (UNSTORABLE.test(value)) {
        throw new NotCanonicalizable(path, 'NUL character or unpaired surrogate in a string');
      }
      return JSON.stringify(value);
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return encode(withJson.toJSON(), path);
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => encode(v === undefined ? null : v, `${path}[${i}]`)).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys
        .map((k) => {
          if (UNSTORABLE.test(k)) throw new NotCanonicalizable(path, `bad key ${JSON.stringify(k)}`);
          return `${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`)}`;
        })
        .join(',')}}`;
    }
    default:
      throw new NotCanonicalizable(path, `${typeof value} is not JSON`);
  }
}
