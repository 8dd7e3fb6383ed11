import './heap-growth';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, prepareRuntime } from '@app/shared';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  await prepareRuntime('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.register(), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  closeOnSignals('worker', app);
  logger.log('processing queues', 'worker');
}

void main();
