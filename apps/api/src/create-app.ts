// Builds the HTTP app (used by main.ts and by the e2e tests, so both run the same wiring).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import {
  bindRequestLogger,
  createHttpLogger,
  fastifyLogging,
} from './observability/logging/http-logger';
import { answerClientError, answerFrameworkError } from './common/http-exception.filter';
import { checkJsonBody } from './common/validation/json-body.hook';
import { SourceView } from './common/validation/source.dto';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The correlation id: the client's X-Request-Id when it is sane, else a new UUID. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export interface CreateAppOptions {
  /** false: write no logs at all (tests). */
  logger?: boolean;
  /** Where the JSON log lines go instead of stdout (tests capture them). */
  logDestination?: DestinationStream;
}

export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logging = options.logger !== false;
  const logger = createHttpLogger({ enabled: logging, destination: options.logDestination });
  const adapter = new FastifyAdapter({
    ...fastifyLogging(logger),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    genReqId: requestId,
    // Requests refused before they reach Nest get the contract's error shape too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', bindRequestLogger);
  fastify.addHook('preValidation', checkJsonBody);
  fastify.addHook('onRequest', async (request, reply) => {
    request.correlationId = String(request.id);
    void reply.header('X-Request-Id', request.correlationId);
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(logger),
    adapter,
    // Nest's own lines wait for the JSON logger, which the module graph provides.
    logging ? { bufferLogs: true } : { logger: false },
  );
  if (logging) app.useLogger(app.get(Logger));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ceasefire-ledger')
      .setDescription(
        'Obligations and reported violations of ceasefire agreements, as immutable events; compliance projections; audit.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        // An opaque API key (`Authorization: Bearer <key>`), not the JWT Nest's default names.
        bearerFormat: 'API key',
        description:
          'An API key from POST /v1/admin/api-keys (or ADMIN_API_KEY): an opaque secret, not a JWT. ' +
          'Send it as `Authorization: Bearer <key>`.',
      })
      .build(),
    { extraModels: [SourceView] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
