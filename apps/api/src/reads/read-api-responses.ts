// The error answers every read documents besides its success.
import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorView } from '../common/error.view';

export function ReadApiResponses(options: { notFound?: boolean; forbidden?: boolean } = {}) {
  return applyDecorators(
    ApiBearerAuth(),
    ApiResponse({
      status: 400,
      description: 'VALIDATION_FAILED: a bad query parameter or cursor',
      type: ErrorView,
    }),
    ApiResponse({ status: 401, description: 'UNAUTHENTICATED', type: ErrorView }),
    ...(options.forbidden
      ? [ApiResponse({ status: 403, description: 'FORBIDDEN', type: ErrorView })]
      : []),
    ...(options.notFound
      ? [ApiResponse({ status: 404, description: 'NOT_FOUND', type: ErrorView })]
      : []),
    ApiResponse({ status: 503, description: 'UNAVAILABLE', type: ErrorView }),
  );
}
