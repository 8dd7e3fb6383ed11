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

// PostgreSQL's jsonb refuses \u0000, and unpaired surrogates are not Unicode text. JSON.stringify
// writes both as \u escapes (and paired surrogates as the characters themselves), so one scan of
// the finished text for an unescaped backslash starting such an escape finds them all.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export function canonicalJson(value: unknown): string {
  const text = encode(value, '');
  // Only a \u escape can be one of those: most texts have none and skip the scan.
  if (text.includes('\\u') && UNSTORABLE_ESCAPE.test(text)) {
    throw new NotCanonicalizable('', 'NUL character or unpaired surrogate in a string or key');
  }
  return text;
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
        .map((k) => `${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`)}`)
        .join(',')}}`;
    }
    default:
      throw new NotCanonicalizable(path, `${typeof value} is not JSON`);
  }
}
