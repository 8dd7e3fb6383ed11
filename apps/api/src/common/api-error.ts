import { HttpException } from '@nestjs/common';
import { ERROR_STATUS, ErrorCode } from '@app/shared';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** An error with one of the contract's codes; the exception filter renders it as is. */
export class ApiError extends HttpException {
  constructor(code: ErrorCode, message: string | string[]) {
    const status = ERROR_STATUS[code];
    super({ statusCode: status, error: TITLES[status] ?? 'Error', code, message }, status);
  }
}
