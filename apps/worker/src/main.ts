import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals, prepareRuntime } from '@app/shared';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  await prepareRuntime('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.register());
  closeOnSignals('worker', app);
  console.log('[worker] processing queues');
}

void main();
