// The API and the worker as real processes (so a test can SIGKILL them), started from the
// TypeScript sources with ts-node, on the test's database, Redis and queue prefix.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TS_NODE_ARGS } from '../support/ts-node';

const ROOT = join(__dirname, '..', '..');

export class AppProcess {
  private child: ChildProcess | null = null;

  constructor(
    readonly app: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; for the API, resolves once /health answers. */
  async start(): Promise<void> {
    this.child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, join(ROOT, `apps/${this.app}/src/main.ts`)],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          MIGRATIONS_RUN: 'false',
          LOG_LEVEL: 'warn',
          ...this.env,
        },
        stdio: 'ignore',
      },
    );
    if (this.app === 'api') await this.waitForHealth();
  }

  /** Stops the process with the signal; resolves with its exit code (null when killed). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  }

  private async waitForHealth(): Promise<void> {
    const url = `http://127.0.0.1:${this.env.PORT}/health`;
    for (let i = 0; i < 1200; i++) {
      if (!this.running) throw new Error('the API exited during start-up');
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the API did not answer /health within 120 s');
  }
}
