// The one place errors become HTTP answers, always in the contract's shape
// { statusCode, error, code, message }. Anything unexpected is a 500 without internals.
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorBody, ErrorCode } from '@app/shared';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'VERSION_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  422: 'RULE_VIOLATED',
  503: 'UNAVAILABLE',
};

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500 && body.code !== 'UNAVAILABLE') {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    void reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const r = (
        typeof response === 'object' && response !== null ? response : { message: response }
      ) as {
        message?: string | string[];
        code?: ErrorCode;
        error?: string;
      };
      return {
        statusCode: status,
        error:
          r.error ??
          (HttpStatus[status] ?? 'Error')
            .toString()
            .replace(/_/g, ' ')
            .toLowerCase()
            .replace(/\b\w/g, (c) => c.toUpperCase()),
        code:
          r.code ?? CODE_BY_STATUS[status] ?? (status >= 500 ? 'UNAVAILABLE' : 'VALIDATION_FAILED'),
        message: r.message ?? exception.message,
      };
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      const status = fastifyError.statusCode;
      return {
        statusCode: status,
        error: status === 413 ? 'Payload Too Large' : 'Bad Request',
        code: CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED',
        message:
          status === 413
            ? 'request body is larger than 1 MiB'
            : (fastifyError.message ?? 'bad request'),
      };
    }
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'UNAVAILABLE',
      message: 'internal error',
    };
  }
}
