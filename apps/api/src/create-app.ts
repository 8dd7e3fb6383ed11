// Builds the HTTP app (used by main.ts and by the e2e tests, so both run the same wiring).
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function createApp(
  options: { logger?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: true }),
    { logger: options.logger === false ? false : undefined, bufferLogs: false },
  );
  app.enableShutdownHooks();
  return app;
}
