import { HttpException } from '@nestjs/common';
import { ERROR_STATUS, ErrorCode, statusTitle } from '@app/shared';

/** An error with one of the contract's codes; the exception filter renders it as is. */
export class ApiError extends HttpException {
  constructor(code: ErrorCode, message: string | string[]) {
    const status = ERROR_STATUS[code];
    super({ statusCode: status, error: statusTitle(status), code, message }, status);
  }
}
