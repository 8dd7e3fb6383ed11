// `npm start`: prepares the database once, then runs the API and the worker as two processes.
// Ctrl-C or SIGTERM stops both cleanly; if either dies, the other is stopped and we exit non-zero.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { prepareRuntime } from '@app/shared';

const STOP_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  await prepareRuntime('supervisor');
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  let exitCode = 0;

  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const child of children.values()) child.kill(signal);
    setTimeout(() => {
      for (const child of children.values()) child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS).unref();
  };

  for (const name of ['api', 'worker']) {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', name, 'src', 'main.js')], {
      stdio: 'inherit',
      // The supervisor migrated already; the children must not race to do it again.
      env: { ...process.env, MIGRATIONS_RUN: 'false' },
    });
    children.set(name, child);
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (!stopping) {
        console.error(`[supervisor] ${name} exited (${signal ?? code}); stopping the rest`);
        exitCode = 1;
        stopAll('SIGTERM');
      }
      if (children.size === 0) process.exit(exitCode);
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => stopAll('SIGTERM'));
  }
}

void main();
