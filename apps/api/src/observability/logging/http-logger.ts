// The API's one pino logger. Fastify binds a child of it to each request's correlation id (its
// request id: the client's X-Request-Id or a new UUID), every Nest logger call made while the
// request is handled writes through that child, and a completed request adds one line with
// method, URL, status and time only (headers, and with them keys, are never logged).
import {
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  HookHandlerDoneFunction,
  LogController,
} from 'fastify';
import { storage, Store } from 'nestjs-pino/storage';
import pino, { DestinationStream, Logger } from 'pino';
import { logOptions, validateConfig } from '@app/shared';

export interface HttpLoggerOptions {
  /** false: nothing is written (tests); requests still get their child loggers. */
  enabled: boolean;
  /** Where lines go instead of stdout (tests capture them). */
  destination?: DestinationStream;
}

/** Polled by machines every few seconds: their requests keep the id but add no line. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * One line per completed request (info; error for a 5xx) instead of Fastify's two, and no second
 * line with a stack trace for a client's mistake (a 4xx Fastify answered itself).
 */
class CompletedRequestLog extends LogController {
  override incomingRequest(): void {}

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (UNLOGGED_PATHS.test(request.url)) return;
    const failed = Boolean(error) || reply.statusCode >= 500;
    reply.log[failed ? 'error' : 'info'](
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTime: Math.round(reply.elapsedTime * 10) / 10, // ms
        ...(error ? { err: error } : {}),
      },
      failed ? 'request failed' : 'request completed',
    );
  }
}

export function createHttpLogger(options: HttpLoggerOptions): Logger {
  // Fastify needs its logger before Nest reads the configuration; this is the same validation.
  const level = options.enabled ? validateConfig(process.env).LOG_LEVEL : 'silent';
  const settings = logOptions('api', level);
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** The Fastify options that make its request loggers ours. */
export function fastifyLogging(
  logger: Logger,
): Pick<FastifyServerOptions, 'loggerInstance' | 'logController'> {
  return {
    loggerInstance: logger,
    logController: new CompletedRequestLog({ requestIdLogLabel: 'correlationId' }),
  };
}

/**
 * An onRequest hook, first of all: the rest of the request runs with its child logger in
 * nestjs-pino's store, where nestjs-pino's Logger and PinoLogger look. It does the work of
 * nestjs-pino's middleware without a middleware engine on every request (measured: about half
 * the cost).
 */
export function bindRequestLogger(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  storage.run(new Store(request.log as Logger), done);
}
