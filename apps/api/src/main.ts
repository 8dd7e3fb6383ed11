import './heap-growth';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { closeOnSignals, prepareRuntime } from '@app/shared';
import { createApp } from './create-app';

/** With API_PROCESSES > 1 the primary prepares the database once and runs that many servers on one port. */
function runCluster(processes: number): void {
  let stopping = false;
  const fork = () => cluster.fork({ MIGRATIONS_RUN: 'false' });
  for (let i = 0; i < processes; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(
      `[api] process ${worker.process.pid} exited (${signal ?? code}); starting another`,
    );
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    });
  }
}

async function main(): Promise<void> {
  const config = await prepareRuntime('api');
  if (cluster.isPrimary && config.API_PROCESSES > 1) return runCluster(config.API_PROCESSES);
  const app = await createApp();
  closeOnSignals('api', app);
  await app.listen(config.PORT, config.HOST);
  if (cluster.isPrimary || cluster.worker?.id === 1) {
    new Logger('api').log(
      `listening on http://${config.HOST}:${config.PORT} (${config.API_PROCESSES} process(es))`,
    );
  }
}

void main();
