import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { prepareRuntime } from '@app/shared';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  await prepareRuntime('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.register());
  app.enableShutdownHooks();
  console.log('[worker] processing queues');
}

void main();
