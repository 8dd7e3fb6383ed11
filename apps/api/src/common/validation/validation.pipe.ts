// Request validation: whitelist with unknown fields refused at any depth, every message
// flattened to "path: problem", and a body that is not a JSON object refused outright.
import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from '../api-error';

// Keys that name members of every object: class-transformer would drop them silently instead of
// reporting an unknown field, and they are the vocabulary of prototype pollution.
const OBJECT_MEMBER_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The path of the first key, at any depth, that names an object member, or null. */
function objectMemberKey(value: unknown, path = '', depth = 0): string | null {
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (OBJECT_MEMBER_KEYS.has(key)) return here;
    const found = objectMemberKey(inner, here, depth + 1);
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
      const member = objectMemberKey(value);
      if (member) throw new ApiError('VALIDATION_FAILED', [`${member}: unknown field`]);
    }
    if (metadata.type === 'query' && metadata.metatype && metadata.metatype !== Object) {
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
