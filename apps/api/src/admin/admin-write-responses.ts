// The headers and error answers the admin POSTs document besides their success. Unlike the
// writes of WriteApiResponses they append to no stream, so If-Match means nothing to them.
import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorView } from '../common/error.view';

export function AdminWriteResponses(options: { notFound?: boolean } = {}) {
  return applyDecorators(
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Same key and request: the first answer again (header Idempotent-Replayed: true), nothing ' +
        'done. Same key, another path or body: 422 IDEMPOTENCY_KEY_REUSED.',
    }),
    ApiHeader({
      name: 'X-Request-Id',
      required: false,
      description: 'Correlation id, echoed back',
    }),
    ApiResponse({ status: 400, description: 'VALIDATION_FAILED', type: ErrorView }),
    ApiResponse({ status: 401, description: 'UNAUTHENTICATED', type: ErrorView }),
    ApiResponse({ status: 403, description: 'FORBIDDEN', type: ErrorView }),
    ...(options.notFound
      ? [ApiResponse({ status: 404, description: 'NOT_FOUND', type: ErrorView })]
      : []),
    ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE', type: ErrorView }),
    ApiResponse({ status: 422, description: 'IDEMPOTENCY_KEY_REUSED', type: ErrorView }),
    ApiResponse({ status: 503, description: 'UNAVAILABLE', type: ErrorView }),
  );
}
