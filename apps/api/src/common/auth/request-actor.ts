// Who a request acts as, worked out once per request. The rate limiter runs before the AuthGuard
// (it counts requests without a valid key too, by IP) and needs the key id to count by; both ask
// here, so the key is hashed and looked up once.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@app/domain';
import { ApiKeysService } from './api-keys.service';

// RFC 6750: "Bearer" 1*SP token; the scheme is case-insensitive.
const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

const lookups = new WeakMap<FastifyRequest, Promise<Actor | null>>();

/** The secret of `Authorization: Bearer <secret>`, or null when the header is absent or malformed. */
export function bearerSecret(header: string | string[] | undefined): string | null {
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  return match ? match[1] : null;
}

/** The actor of the request's key; null without a well-formed key, or for an unknown or revoked one. */
export function actorOf(request: FastifyRequest, keys: ApiKeysService): Promise<Actor | null> {
  let lookup = lookups.get(request);
  if (!lookup) {
    const secret = bearerSecret(request.headers.authorization);
    lookup = secret === null ? Promise.resolve(null) : keys.authenticate(secret);
    lookups.set(request, lookup);
  }
  return lookup;
}
