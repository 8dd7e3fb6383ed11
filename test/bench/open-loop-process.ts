// The fixed-arrival-rate load generator, in a process of its own: GETs of `paths` in rotation at
// `rate` per second, after a warm-up at the same rate, with the latency of each counted from its
// scheduled time. In the benchmark's own process the generator shared a heap with everything the
// benchmark had done before (a million generated events, autocannon's runs), and its major GC
// pauses (15-35 ms seen) landed on the measured requests as if the service had been slow. Here
// its heap holds only the run, and the pauses it still takes are reported beside the figures.
// Input: one JSON argument (OpenLoopSpec); output: one JSON line (OpenLoopResult) on stdout.
import { PerformanceObserver } from 'node:perf_hooks';
import { httpClient, openLoop } from './bench-process';

export interface OpenLoopSpec {
  base: string;
  paths: string[];
  headers: Record<string, string>;
  rate: number;
  seconds: number;
  warmupSeconds: number;
}

export interface OpenLoopResult {
  /** Per request of the measured run, in order: ms from its scheduled time to its answer. */
  latencies: number[];
  /** Answers other than 200 (by status or error message), measured run only. */
  failures: Record<string, number>;
  elapsedMs: number;
  maxInFlight: number;
  /** The generator's own GC pauses during the measured run. */
  gc: { count: number; totalMs: number; maxMs: number };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as OpenLoopSpec;
  const client = httpClient(spec.base);
  let failures: Record<string, number> = {};
  const get = async (i: number) => {
    let status: string;
    try {
      status = String(await client.status('GET', spec.paths[i % spec.paths.length], spec.headers));
    } catch (err) {
      status = (err as Error).message;
    }
    if (status !== '200') failures[status] = (failures[status] ?? 0) + 1;
    return status === '200';
  };
  await openLoop(spec.rate, spec.warmupSeconds, get);
  failures = {};
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const run = await openLoop(spec.rate, spec.seconds, get);
  observer.disconnect();
  client.close();
  const result: OpenLoopResult = {
    latencies: run.samples.map((s) => s.doneAt - s.scheduledAt),
    failures,
    elapsedMs: run.elapsedMs,
    maxInFlight: run.maxInFlight,
    gc,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
