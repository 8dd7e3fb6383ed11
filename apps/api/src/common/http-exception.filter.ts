// The one place errors become HTTP answers, always in the contract's shape
// { statusCode, error, code, message }. Client mistakes are 4xx with a clear message; a database
// that cannot be reached is 503 UNAVAILABLE; anything else is a 500 that leaks no internals.
// Requests that never reach Nest (refused by Node's HTTP parser or by Fastify's router) are
// answered here too, by the two handlers create-app.ts gives Fastify.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@app/domain';
import {
  EventIdConflict,
  InvalidCursor,
  NotCanonicalizable,
  StreamTypeMismatch,
  VersionConflict,
} from '@app/event-store';
import { ERROR_STATUS, ErrorBody, ErrorCode, statusTitle } from '@app/shared';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'VERSION_CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'RULE_VIOLATED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

// Connection-level failures of PostgreSQL or Redis: the client did nothing wrong, try later.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08006',
]);

function body(
  statusCode: number,
  code: ErrorCode,
  message: string | string[],
): ErrorBody & { details?: unknown } {
  return { statusCode, error: statusTitle(statusCode), code, message };
}

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && UNAVAILABLE_CODES.has(e.code)) return true;
  const message = e?.message ?? '';
  // A database refusing connections for a while (restarting, or ALLOW_CONNECTIONS false during
  // maintenance) answers 55000 at connect time, a code that also means other things mid-query.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|is not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i.test(
    message,
  );
}

export function errorBody(exception: unknown): ErrorBody & { details?: unknown } {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const r = (
      typeof response === 'object' && response !== null ? response : { message: response }
    ) as {
      message?: string | string[];
      code?: ErrorCode;
    };
    // @nestjs/terminus answers a failed readiness check with its own report: keep it as details.
    const health = response as { status?: string; details?: Record<string, { status?: string }> };
    if (health.status === 'error' && health.details) {
      const down = Object.entries(health.details)
        .filter(([, d]) => d.status !== 'up')
        .map(([name]) => name);
      return {
        ...body(status, 'UNAVAILABLE', `not ready: ${down.join(', ')}`),
        details: health.details,
      };
    }
    return body(
      status,
      r.code ?? CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED',
      r.message ?? exception.message,
    );
  }
  if (exception instanceof DomainError) {
    return body(ERROR_STATUS[exception.code], exception.code, exception.message);
  }
  if (exception instanceof VersionConflict) return body(409, 'VERSION_CONFLICT', exception.message);
  if (exception instanceof EventIdConflict) return body(409, 'DUPLICATE_ID', exception.message);
  if (exception instanceof StreamTypeMismatch) return body(422, 'RULE_VIOLATED', exception.message);
  if (exception instanceof NotCanonicalizable || exception instanceof InvalidCursor) {
    return body(400, 'VALIDATION_FAILED', exception.message);
  }
  if (isUnavailable(exception))
    return body(503, 'UNAVAILABLE', 'a backing service is unavailable; try again shortly');
  // Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode.
  const e = exception as { statusCode?: number; code?: string; message?: string };
  // The router refuses a path segment longer than any id (an id is at most 64 characters).
  if (e?.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return body(404, 'NOT_FOUND', 'nothing is found here');
  if (e?.code === 'FST_ERR_BAD_URL') {
    return body(400, 'VALIDATION_FAILED', 'the path is not valid percent-encoded UTF-8');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413)
      return body(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than 1 MiB');
    const message =
      e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'the body must be JSON (Content-Type: application/json)'
        : e instanceof SyntaxError || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? `the body is not valid JSON${e.message ? `: ${e.message}` : ''}`
          : (e.message ?? 'bad request');
    return body(e.statusCode, CODE_BY_STATUS[e.statusCode] ?? 'VALIDATION_FAILED', message);
  }
  return body(500, 'UNAVAILABLE', 'internal error');
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const answer = errorBody(exception);
    if (answer.statusCode >= 500 && answer.code !== 'UNAVAILABLE') {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    } else if (answer.statusCode === 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (answer.statusCode === 503) void reply.header('Retry-After', '5');
    void reply.status(answer.statusCode).send(answer);
  }
}

/** Fastify's `frameworkErrors`: a URL its router cannot read, answered in the contract's shape. */
export function answerFrameworkError(
  error: Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const answer = errorBody(error);
  return reply.status(answer.statusCode).send(answer);
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused (CR or LF inside a header,
 * headers over the size limit, broken framing). There is no request to answer, only the socket:
 * write the contract's shape on it and hang up, as Node itself would with an empty body.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message]: [number, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is not valid HTTP/1.1'];
  // Node's reason phrase: the shared titles have none for 408 and 431.
  const title = STATUS_CODES[status] ?? 'Error';
  const json = JSON.stringify({ ...body(status, 'VALIDATION_FAILED', message), error: title });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
