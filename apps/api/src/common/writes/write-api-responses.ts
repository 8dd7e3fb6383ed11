import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorView } from '../error.view';

/**
 * The answers and headers every write documents besides its success. An append to a stream
 * (the default) also takes If-Match and may break a domain rule; the admin POSTs (`stream:
 * false`: API keys, rebuilds) append to no stream, so If-Match means nothing to them, and answer
 * 404 only where `notFound` says.
 */
export function WriteApiResponses(options: { stream?: boolean; notFound?: boolean } = {}) {
  const stream = options.stream ?? true;
  const notFound = options.notFound ?? stream;
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Same key and request: the first answer again (header Idempotent-Replayed: true), nothing ' +
        'done. Same key, another path or body: 422 IDEMPOTENCY_KEY_REUSED.',
    }),
    ...(stream
      ? [
          ApiHeader({
            name: 'If-Match',
            required: false,
            description:
              'The stream version you expect, like 3 or "3": 409 if the stream moved on.',
          }),
        ]
      : []),
    ApiHeader({
      name: 'X-Request-Id',
      required: false,
      description: stream
        ? 'Correlation id, echoed back and stored with the events'
        : 'Correlation id, echoed back',
    }),
    ApiResponse({ status: 400, description: 'VALIDATION_FAILED', type: ErrorView }),
    ApiResponse({ status: 401, description: 'UNAUTHENTICATED', type: ErrorView }),
    ApiResponse({ status: 403, description: 'FORBIDDEN', type: ErrorView }),
    ...(notFound ? [ApiResponse({ status: 404, description: 'NOT_FOUND', type: ErrorView })] : []),
    ...(stream
      ? [
          ApiResponse({
            status: 409,
            description: 'VERSION_CONFLICT or DUPLICATE_ID',
            type: ErrorView,
          }),
        ]
      : []),
    ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE', type: ErrorView }),
    ApiResponse({
      status: 422,
      description: stream ? 'RULE_VIOLATED or IDEMPOTENCY_KEY_REUSED' : 'IDEMPOTENCY_KEY_REUSED',
      type: ErrorView,
    }),
    ApiResponse({ status: 503, description: 'UNAVAILABLE', type: ErrorView }),
  );
}
