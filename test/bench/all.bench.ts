// npm run bench: every benchmark in one go, at sizes that fit in a few minutes on 2 cores, and one
// table of every figure beside its baseline from the same run, the ratio and the goal. Each bench
// runs as its own process (as `npm run bench:<name>` would) and writes its figures to a scratch
// results folder; this script prints them together and writes test/bench/results/summary.json.
// The full-size runs (a million events, five minutes of load) are the separate bench:<name>
// commands; BENCH_SCALE=full runs them all at full size here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './bench-process';
import { Figure, printTable, writeResults } from './bench-support';
import { TS_NODE_ARGS } from '../support/ts-node';

const FULL = process.env.BENCH_SCALE === 'full';

/** Each bench with the environment of its short run (empty: its own defaults). */
const BENCHES: Array<{ name: string; script: string; env: Record<string, string> }> = [
  {
    name: 'append',
    script: 'append.bench.ts',
    env: FULL ? {} : { BENCH_SECONDS: '3', BENCH_ROUNDS: '3' },
  },
  {
    name: 'http-append',
    script: 'http-append.bench.ts',
    env: FULL ? { BENCH_SECONDS: '300' } : { BENCH_SECONDS: '20' },
  },
  {
    name: 'lag',
    script: 'lag.bench.ts',
    env: FULL ? {} : { BENCH_SECONDS: '15', BENCH_BACKLOG: '10000' },
  },
  {
    name: 'read',
    script: 'read.bench.ts',
    env: FULL ? {} : { BENCH_EVENTS: '200000', BENCH_SECONDS: '10' },
  },
  {
    name: 'rebuild',
    script: 'rebuild.bench.ts',
    env: FULL ? {} : { BENCH_EVENTS: '200000', BENCH_RUNS: '1', BENCH_ALONE: '0' },
  },
  { name: 'as-of', script: 'as-of.bench.ts', env: FULL ? {} : { BENCH_RUNS: '3' } },
  { name: 'hot-read', script: 'hot-read.bench.ts', env: {} },
];

function main(): void {
  const only = process.argv.slice(2);
  const scratch = mkdtempSync(join(tmpdir(), 'ceasefire-bench-'));
  const figures: Figure[] = [];
  const failed: string[] = [];
  try {
    for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
      const started = Date.now();
      console.error(`\n=== ${bench.name} ${JSON.stringify(bench.env)}`);
      const run = spawnSync(process.execPath, [...TS_NODE_ARGS, join(__dirname, bench.script)], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, ...bench.env, BENCH_RESULTS_DIR: scratch },
      });
      console.error(
        `=== ${bench.name}: exit ${run.status} after ${Math.round((Date.now() - started) / 1000)} s`,
      );
      try {
        figures.push(
          ...(JSON.parse(readFileSync(join(scratch, `${bench.name}.json`), 'utf8')) as Figure[]),
        );
      } catch {
        failed.push(bench.name);
      }
      if (run.status !== 0 && !failed.includes(bench.name)) failed.push(bench.name);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(
    `\nAll benchmarks (${FULL ? 'full size' : 'short runs'}), ${figures[0]?.machine ?? ''}\n`,
  );
  printTable(figures);
  console.log(`\nwritten to ${writeResults(FULL ? 'summary-full' : 'summary', figures)}`);
  if (failed.length > 0) {
    console.error(`\nbenchmarks that failed or wrote no figures: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
