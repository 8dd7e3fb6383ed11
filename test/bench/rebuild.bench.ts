// npm run bench:rebuild: projection rebuild throughput on a store of BENCH_EVENTS (default
// 1,000,000) realistic events over 100 agreements (the generator of bench:read), beside a raw
// keyset scan of the events table through the same driver in the same run.
//   1. Generate the events; VACUUM ANALYZE and CHECKPOINT so the runs start from a settled store.
//   2. Baseline: page through `events` in feed order, 10,000 rows per keyset query, with pg.
//   3. Rebuild every projection (shadow tables, swap) as an operator or a deploy does: the
//      compiled CLI's `rebuild all` (ProjectionRebuilder.rebuildTogether: the projections that read
//      most of the feed share one read of it) in a process of its own; then, up to 200,000
//      events, each projection alone the same way. Its peak RSS (VmHWM) is sampled throughout.
//   Rates are feed events per second: the feed read into every projection, over the rebuild's own
//   wall time (the CLI's, without process start-up).
//   4. Memory flat with feed size: first the same on a store a tenth the size (BENCH_SMALL_EVENTS,
//      default BENCH_EVENTS / 10, 0 to skip), and the peak RSS of the full store's rebuild over the
//      small one's (goal: within 20%).
//   Runs BENCH_RUNS (3) times and reports medians. BENCH_EVENTS (1000000), BENCH_CONCURRENCY (6),
//   BENCH_ALONE (1 up to 200,000 events: also time each projection alone),
//   BENCH_REBUILD_NODE_FLAGS (node flags for the rebuilding process, e.g. a heap bound).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_COLUMNS } from '@app/event-store';
import { PROJECTIONS } from '@app/projections';
import { generateEvents } from './bench-events';
import { build, ROOT } from './bench-process';
import {
  BenchDatabase,
  createBenchDatabase,
  describeMachine,
  Figure,
  median,
  printTable,
  writeResults,
} from './bench-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const WRITERS = Number(process.env.BENCH_CONCURRENCY ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Also rebuild each projection alone (default: only for stores up to 200,000 events). */
const ALONE = (process.env.BENCH_ALONE ?? (EVENTS <= 200_000 ? '1' : '0')) === '1';
const SMALL_EVENTS = Number(process.env.BENCH_SMALL_EVENTS ?? Math.floor(EVENTS / 10));
const SCAN_BATCH = 10_000;
/**
 * Node flags for the rebuilding process (BENCH_REBUILD_NODE_FLAGS, e.g. a heap bound
 * "--max-old-space-size=256"): without one, V8 sizes the heap by its own heuristics.
 */
const NODE_FLAGS = (process.env.BENCH_REBUILD_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const t = () => performance.now();
const log = (message: string) =>
  console.error(`[rebuild ${new Date().toISOString().slice(11, 19)}] ${message}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Peak resident memory of a process so far (VmHWM, bytes); 0 once it has exited. */
function peakRssOf(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Rebuilds the projections with the compiled CLI (`rebuild <name>... --json`) in a process of its
 * own: the rebuild's seconds as the CLI timed them, and the process's peak RSS.
 */
async function rebuildInProcess(
  url: string,
  projections: string[],
): Promise<{ seconds: number; peak: number }> {
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, join(ROOT, 'dist/apps/cli/src/main.js'), 'rebuild', ...projections, '--json'],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setInterval(() => (peak = Math.max(peak, peakRssOf(child.pid ?? 0))), 50);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  clearInterval(timer);
  if (code !== 0) throw new Error(`cli rebuild ${projections.join(' ')} exited ${code}`);
  const answer = JSON.parse(out) as { seconds: number } | { seconds: number }[];
  const seconds = Array.isArray(answer)
    ? Math.max(...answer.map((a) => a.seconds))
    : answer.seconds;
  return { seconds, peak };
}

/** The raw keyset scan: every event row, in feed order, through pg. Returns rows read. */
async function rawScan(db: BenchDatabase): Promise<number> {
  let rows = 0;
  let after = ['0', '0'];
  for (;;) {
    const page = await db.pool.query<{ transaction_id: string; global_position: string }>({
      name: 'bench_scan',
      text: `SELECT ${EVENT_COLUMNS} FROM events
              WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
              ORDER BY transaction_id, global_position LIMIT ${SCAN_BATCH}`,
      values: after,
    });
    rows += page.rows.length;
    if (page.rows.length < SCAN_BATCH) return rows;
    const last = page.rows[page.rows.length - 1];
    after = [last.transaction_id, last.global_position];
  }
}

interface StoreRun {
  events: number;
  scan: number;
  all: number;
  peak: number;
  alone: Map<string, number>;
}

/** Generates a store of `size` events in its own database and rebuilds it RUNS times. */
async function measureStore(size: number, alone: boolean): Promise<StoreRun & { machine: string }> {
  const bench = await createBenchDatabase('rebuild', 12);
  try {
    const machine = await describeMachine(bench.pool);
    let phase = t();
    const { events } = await generateEvents(bench, size, {
      writers: WRITERS,
      agreements: 100,
      log,
    });
    log(`generated ${events} events in ${secs(t() - phase)}`);
    await bench.pool.query('VACUUM (ANALYZE) events, streams');
    await bench.pool.query('CHECKPOINT');
    const names = PROJECTIONS.map((p) => p.name);

    const scanRates: number[] = [];
    const allRates: number[] = [];
    const peaks: number[] = [];
    const aloneRates = new Map<string, number[]>(names.map((name) => [name, []]));
    for (let run = 1; run <= RUNS; run++) {
      phase = t();
      const scanned = await rawScan(bench);
      scanRates.push((scanned / (t() - phase)) * 1000);
      log(`run ${run}: raw scan ${scanned} rows in ${secs(t() - phase)}`);

      const { seconds, peak } = await rebuildInProcess(bench.url, names);
      allRates.push(events / seconds);
      peaks.push(peak);
      log(
        `run ${run}: every projection together in ${seconds.toFixed(1)} s, peak RSS ${mib(peak)} MiB`,
      );
      await bench.pool.query('CHECKPOINT');

      for (const name of alone ? names : []) {
        const one = await rebuildInProcess(bench.url, [name]);
        aloneRates.get(name)?.push(events / one.seconds);
        log(`run ${run}: ${name} alone in ${one.seconds.toFixed(1)} s`);
      }
      await bench.pool.query('CHECKPOINT');
    }
    return {
      machine,
      events,
      scan: median(scanRates),
      all: median(allRates),
      peak: median(peaks),
      alone: new Map([...aloneRates].map(([name, rates]) => [name, median(rates)])),
    };
  } finally {
    await bench.drop();
  }
}

async function main(): Promise<void> {
  build();
  const small = SMALL_EVENTS > 0 ? await measureStore(SMALL_EVENTS, false) : null;
  const full = await measureStore(EVENTS, ALONE);
  const { machine } = full;
  const label = `${full.events.toLocaleString('en')} events`;
  const figures: Figure[] = [
    {
      figure: `rebuild of every projection together, ${label}`,
      value: full.all,
      unit: 'events/s',
      baseline: full.scan,
      ratio: full.all / full.scan,
      goal: '>= 50,000 events/s and >= 0.3 of the raw scan',
      machine,
    },
    ...(ALONE ? PROJECTIONS : []).map((p) => {
      const rate = full.alone.get(p.name) ?? 0;
      return {
        figure: `rebuild of ${p.name} alone, ${label}`,
        value: rate,
        unit: 'events/s',
        baseline: full.scan,
        ratio: rate / full.scan,
        goal: '-',
        machine,
      };
    }),
    {
      figure: `peak RSS of the rebuilding process (cli rebuild all${NODE_FLAGS.length ? `, ${NODE_FLAGS.join(' ')}` : ''}), ${label}`,
      value: mib(full.peak),
      unit: 'MiB',
      baseline: small && mib(small.peak),
      ratio: small && full.peak / small.peak,
      goal: `flat with feed size: within 20% of the ${small ? small.events.toLocaleString('en') : 'smaller'}-event run (the baseline)`,
      machine,
    },
  ];
  if (small) {
    figures.splice(1, 0, {
      figure: `rebuild of every projection together, ${small.events.toLocaleString('en')} events`,
      value: small.all,
      unit: 'events/s',
      baseline: small.scan,
      ratio: small.all / small.scan,
      goal: '-',
      machine,
    });
  }
  printTable(figures);
  console.log(
    `\n${machine}. Medians of ${RUNS} runs; raw scan: ${SCAN_BATCH}-row keyset pages of every column.`,
  );
  console.log(`results: ${writeResults('rebuild', figures)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
