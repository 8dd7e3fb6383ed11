// Request validation: whitelist with unknown fields refused at any depth, every message
// flattened to "path: problem", and a body that is not a JSON object refused outright.
import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from '../api-error';

// Keys that name members of every object: class-transformer would drop them silently instead of
// reporting an unknown field, and they are the vocabulary of prototype pollution.
const OBJECT_MEMBER_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

// Text PostgreSQL cannot keep as given: a NUL fails the statement (a 500 for columns outside the
// event store, which refuses it on its own), an unpaired surrogate becomes U+FFFD on the way in.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);

/**
 * The first problem, at any depth, that the whitelist would not report: a key naming an object
 * member, or a key or string that cannot be stored. Null when there is none.
 */
function inputProblem(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') {
    return unstorable(value)
      ? `${path || 'value'}: contains a NUL character or an unpaired surrogate`
      : null;
  }
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (OBJECT_MEMBER_KEYS.has(key)) return `${here}: unknown field`;
    if (unstorable(key)) return `${here}: contains a NUL character or an unpaired surrogate`;
    const found = inputProblem(inner, here, depth + 1);
    if (found) return found;
  }
  return null;
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      e.constraints?.whitelistValidation
        ? `${path}: unknown field`
        : m.startsWith(e.property)
          ? `${parent ? `${parent}.` : ''}${m}`
          : `${path}: ${m}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ApiError('VALIDATION_FAILED', flatten(errors).slice(0, 50)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ApiError('VALIDATION_FAILED', 'the body must be a JSON object');
      }
      const problem = inputProblem(value);
      if (problem) throw new ApiError('VALIDATION_FAILED', [problem]);
    }
    if (metadata.type === 'query' && metadata.metatype && metadata.metatype !== Object) {
      // ?constructor=1 or ?__proto__=1 would be dropped silently, like in a body.
      const problem = inputProblem(value);
      if (problem) throw new ApiError('VALIDATION_FAILED', [problem]);
      // Repeated query parameters arrive as arrays; none of ours is a list.
      const repeated = Object.entries((value ?? {}) as Record<string, unknown>).filter(([, v]) =>
        Array.isArray(v),
      );
      if (repeated.length)
        throw new ApiError(
          'VALIDATION_FAILED',
          repeated.map(([k]) => `${k}: given more than once`),
        );
    }
    return super.transform(value, metadata);
  }
}
