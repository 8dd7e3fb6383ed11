// Shared by the HTTP benchmarks (lag, read): the compiled apps as child processes, a keep-alive
// HTTP client, an open-loop (fixed arrival rate) driver, percentiles and a latency histogram.
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { Agent, IncomingMessage, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { OpenLoopResult, OpenLoopSpec } from './open-loop-process';
import { TS_NODE_ARGS } from '../support/ts-node';

export const ROOT = join(__dirname, '..', '..');
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Builds once, as production runs it (npm run build). */
export function build(): void {
  execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <script>` (a compiled app, or -e code) with the given environment. Benchmarks send
 * everything with one or two keys, so the per-key rate limit is off unless a bench sets it.
 */
export function startNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...env },
  });
}

export function startApp(app: 'api' | 'worker', env: Record<string, string>): ChildProcess {
  return startNode([...profileFlags(app), join(ROOT, `dist/apps/${app}/src/main.js`)], env);
}

/**
 * Node flags that write a CPU profile of the API process into BENCH_API_PROFILE (a directory)
 * when it is set; none otherwise.
 */
export function profileFlags(app: 'api' | 'worker'): string[] {
  const dir = process.env.BENCH_API_PROFILE;
  return app === 'api' && dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function waitForHttp(base: string, child: ChildProcess, path = '/health') {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${base}: the process exited (${child.exitCode})`);
    try {
      if ((await fetch(`${base}${path}`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${base} did not start`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes every Redis key under a benchmark's unique queue prefix. */
export async function dropQueuePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * A keep-alive client: many requests in flight, one socket each (no pipelining). `status` reads
 * the answer's status only and drops its body as it arrives: a load generator that keeps every
 * body (20 KB for an obligation list) fills its heap, and its own major GC pauses (35 ms seen)
 * then show up as the service's latency.
 */
export function httpClient(base: string, maxSockets = 512) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const exchange = <T>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    read: (res: IncomingMessage, resolve: (answer: T) => void) => void,
  ): Promise<T> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: body
            ? { ...headers, 'content-length': Buffer.byteLength(body).toString() }
            : headers,
        },
        (res) => {
          res.on('error', reject);
          read(res, resolve);
        },
      );
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    exchange<HttpAnswer>(method, path, headers, body, (res, resolve) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
  const status = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    exchange<number>(method, path, headers, body, (res, resolve) => {
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
  return { send, status, close: () => agent.destroy() };
}

export interface OpenLoopSample {
  /** Intended start (ms, performance.now()); latency counts from here (no coordinated omission). */
  scheduledAt: number;
  sentAt: number;
  doneAt: number;
  ok: boolean;
}

/**
 * Fixed arrival rate: request i is due at start + i / rate, whatever the earlier ones are doing
 * (the timer ticks every millisecond and launches every request that has come due). Returns one
 * sample per request, completed.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  op: (i: number) => Promise<boolean>,
): Promise<{ samples: OpenLoopSample[]; elapsedMs: number; maxInFlight: number }> {
  const total = Math.round(rate * seconds);
  // Preallocated, and no promise kept per request: the generator's heap stays flat while it runs.
  const scheduled = new Float64Array(total);
  const sent = new Float64Array(total);
  const done = new Float64Array(total);
  const ok = new Uint8Array(total);
  let inFlight = 0;
  let maxInFlight = 0;
  let drained: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (drained = resolve));
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const index = i;
      scheduled[index] = start + (index * 1000) / rate;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sent[index] = performance.now();
      void op(index)
        .catch(() => false)
        .then((answered) => {
          done[index] = performance.now();
          ok[index] = answered ? 1 : 0;
          inFlight -= 1;
          if (inFlight === 0 && i === total) drained();
        });
    }
    await sleep(1);
  }
  if (inFlight > 0) await finished;
  const samples: OpenLoopSample[] = Array.from({ length: total }, (_, k) => ({
    scheduledAt: scheduled[k],
    sentAt: sent[k],
    doneAt: done[k],
    ok: ok[k] === 1,
  }));
  const last = samples.reduce((m, s) => Math.max(m, s.doneAt), start);
  return { samples, elapsedMs: last - start, maxInFlight };
}

/**
 * Runs the open-loop generator (open-loop-process.ts) in a process of its own, so that its pauses
 * are not the benchmark process's, and returns what it measured.
 */
export async function openLoopInProcess(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const child = spawn(
    process.execPath,
    [...TS_NODE_ARGS, join(__dirname, 'open-loop-process.ts'), JSON.stringify(spec)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`the open-loop generator exited ${code}`);
  return JSON.parse(out) as OpenLoopResult;
}

/** The largest of the values (a spread into Math.max overflows the stack past ~100,000 values). */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** Nearest-rank percentile of unsorted values (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

/** A text histogram (log-spaced millisecond buckets) for stderr. */
export function histogram(values: readonly number[], title: string): string {
  const edges = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, Infinity];
  const counts = new Array(edges.length).fill(0);
  for (const v of values) counts[edges.findIndex((e) => v < e)] += 1;
  const max = Math.max(1, ...counts);
  const lines = [`${title} (${values.length} samples)`];
  let lower = 0;
  edges.forEach((edge, k) => {
    if (counts[k] > 0) {
      const label = `${lower}-${edge === Infinity ? '' : edge} ms`.padStart(14);
      const bar = '#'.repeat(Math.max(1, Math.round((counts[k] / max) * 50)));
      lines.push(`${label} ${String(counts[k]).padStart(8)} ${bar}`);
    }
    lower = edge;
  });
  return lines.join('\n');
}

/** The agreement the write benchmarks report violations against. */
export const BENCH_AGREEMENT = 'bench-agreement';

/** A valid, distinct violation report (about 600 bytes of JSON). */
export function violationReport(n: number): Record<string, unknown> {
  return {
    agreementId: BENCH_AGREEMENT,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    location: { name: 'Gaza City, al-Sabra', lat: 31.5, lon: 34.45, precision: 'approximate' },
    category: 'airstrike',
    allegedPartyId: 'israel',
    description: `Strike reported on a residential building (report ${n}).`,
    casualties: { killed: 1, injured: 4 },
    sources: [
      { name: 'Gaza Health Ministry', kind: 'official' },
      { name: 'Reuters', kind: 'media' },
    ],
  };
}

export async function postJson(
  base: string,
  path: string,
  key: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Through the API: a monitor key and the benchmark agreement. Returns the monitor's key. */
export async function prepareViolationWrites(base: string, adminKey: string): Promise<string> {
  const key = async (role: string) =>
    (await postJson(base, '/v1/admin/api-keys', adminKey, { name: `bench ${role}`, role }))
      .key as string;
  const monitor = await key('monitor');
  await postJson(base, '/v1/agreements', await key('coordinator'), {
    id: BENCH_AGREEMENT,
    title: 'Benchmark agreement',
    effectiveAt: '2025-10-10T09:00:00Z',
    parties: [
      { id: 'israel', name: 'Israel', role: 'signatory' },
      { id: 'hamas', name: 'Hamas', role: 'signatory' },
    ],
    phases: [{ key: 'phase-1', title: 'Phase 1' }],
  });
  return monitor;
}
