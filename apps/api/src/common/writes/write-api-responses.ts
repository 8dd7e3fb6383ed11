import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorView } from '../error.view';

/** The answers and headers every write documents besides its success. */
export function WriteApiResponses() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Same key and body: the first answer again, nothing written. Same key, other body: 422.',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The stream version you expect, like 3 or "3": 409 if the stream moved on.',
    }),
    ApiHeader({
      name: 'X-Request-Id',
      required: false,
      description: 'Correlation id, echoed back and stored with the events',
    }),
    ApiResponse({ status: 400, description: 'VALIDATION_FAILED', type: ErrorView }),
    ApiResponse({ status: 401, description: 'UNAUTHENTICATED', type: ErrorView }),
    ApiResponse({ status: 403, description: 'FORBIDDEN', type: ErrorView }),
    ApiResponse({ status: 404, description: 'NOT_FOUND', type: ErrorView }),
    ApiResponse({ status: 409, description: 'VERSION_CONFLICT or DUPLICATE_ID', type: ErrorView }),
    ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE', type: ErrorView }),
    ApiResponse({
      status: 422,
      description: 'RULE_VIOLATED or IDEMPOTENCY_KEY_REUSED',
      type: ErrorView,
    }),
    ApiResponse({ status: 503, description: 'UNAVAILABLE', type: ErrorView }),
  );
}
