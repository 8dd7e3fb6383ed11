// A Fastify preValidation hook: a request body is JSON, nested at most MAX_BODY_DEPTH levels,
// or it is refused before anything reads it. Fastify (through Nest) also parses form-encoded and
// plain-text bodies, which would reach the DTOs as objects and strings: API.md takes JSON only.
// Depth is checked here, not in the validation pipe, because recursive walks over the body
// (class-transformer, the canonical JSON of an idempotent request) run before the pipe or inside
// it, and a body of a few thousand levels exhausts their stack: a 500 instead of a 400.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpException } from '@nestjs/common';
import { statusTitle } from '@app/shared';
import { ApiError } from '../api-error';
import { errorBody } from '../http-exception.filter';

/** Far deeper than any body of API.md needs (free-form `terms` included), far from any stack limit. */
export const MAX_BODY_DEPTH = 32;

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/** True when `value` has objects or arrays nested more than `limit` levels (the body is level 1). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const inner of Object.values(node)) stack.push([inner, depth + 1]);
  }
  return false;
}

function refuse(reply: FastifyReply, error: HttpException): FastifyReply {
  // Answered here rather than thrown: the answer must not depend on which error handler the
  // route's Fastify context captured.
  const answer = errorBody(error);
  return reply.status(answer.statusCode).send(answer);
}

export async function checkJsonBody(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | void> {
  if (request.body === undefined || request.body === null) return;
  if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
    const message = 'the body must be JSON (Content-Type: application/json)';
    return refuse(
      reply,
      new HttpException(
        { statusCode: 415, error: statusTitle(415), code: 'VALIDATION_FAILED', message },
        415,
      ),
    );
  }
  if (nestedDeeperThan(request.body, MAX_BODY_DEPTH)) {
    return refuse(
      reply,
      new ApiError('VALIDATION_FAILED', `the body is nested deeper than ${MAX_BODY_DEPTH} levels`),
    );
  }
}
