// What a request carries into a command besides its body: who acts, the correlation id, and the
// idempotency and concurrency headers.
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@app/domain';
import { canonicalJson } from '@app/event-store';
import { createHash } from 'node:crypto';
import { ApiError } from './api-error';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    correlationId?: string;
  }
}

export interface WriteRequest {
  actor: Actor;
  correlationId: string;
  idempotencyKey: string | null;
  /** Hash of method, path and canonical body: the same key with another request is refused. */
  fingerprint: Buffer;
  /** The stream version the client expects (If-Match), or null. */
  ifMatch: number | null;
}

const EMPTY_FINGERPRINT = Buffer.alloc(0);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function parseIfMatch(header: string | string[] | undefined): number | null {
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!m)
    throw new ApiError('VALIDATION_FAILED', 'If-Match must be a stream version, like 3 or "3"');
  return Number(m[1]);
}

export function writeRequestOf(request: FastifyRequest): WriteRequest {
  if (!request.actor) throw new Error('write request without an authenticated actor');
  const rawKey = request.headers['idempotency-key'];
  const idempotencyKey = Array.isArray(rawKey) ? rawKey[0] : (rawKey ?? null);
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new ApiError(
      'VALIDATION_FAILED',
      'Idempotency-Key must be 1-200 visible ASCII characters',
    );
  }
  // Only a keyed request is ever compared with another one.
  const fingerprint = idempotencyKey
    ? createHash('sha256')
        .update(`${request.method} ${request.url.split('?')[0]}\n`)
        .update(canonicalJson(request.body ?? null))
        .digest()
    : EMPTY_FINGERPRINT;
  return {
    actor: request.actor,
    correlationId: request.correlationId ?? String(request.id),
    idempotencyKey,
    fingerprint,
    ifMatch: parseIfMatch(request.headers['if-match']),
  };
}

/** Injects the WriteRequest of the current request into a controller method. */
export const Write = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  writeRequestOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);

/** Injects the authenticated actor (undefined on public routes) into a controller method. */
export const CurrentActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor | undefined =>
    ctx.switchToHttp().getRequest<FastifyRequest>().actor,
);
