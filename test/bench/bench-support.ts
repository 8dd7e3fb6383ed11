// Shared by the benchmarks: a scratch database, the machine description, timed loops, medians,
// and the results file every benchmark writes (test/bench/results/<name>.json).
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { createPool, quoteIdent, runMigrations, withDatabase } from '@app/shared';

export const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Figure {
  figure: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  goal: string;
  machine: string;
}

export interface BenchDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createBenchDatabase(name: string, poolSize: number): Promise<BenchDatabase> {
  const database = `ceasefire_bench_${name}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(database)} ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const url = withDatabase(ADMIN_URL, database);
  await runMigrations(url);
  const pool = createPool(url, { max: poolSize });
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function describeMachine(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ v: string; fsync: string; sc: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync,
            current_setting('synchronous_commit') AS sc`,
  );
  const cpu = cpus();
  return (
    `${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, PostgreSQL ${rows[0].v} on the same machine (fsync=${rows[0].fsync}, ` +
    `synchronous_commit=${rows[0].sc})`
  );
}

/**
 * Runs `concurrency` loops of `op` for `seconds` after a short warm-up (connections opened,
 * statements prepared); returns units done per second.
 */
export async function throughput(
  concurrency: number,
  seconds: number,
  op: (worker: number, iteration: number) => Promise<number>,
): Promise<number> {
  const warmUntil = Date.now() + Math.min(1000, seconds * 250);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; Date.now() < warmUntil; i++) await op(w, -1 - i);
    }),
  );
  const deadline = Date.now() + seconds * 1000;
  let units = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; Date.now() < deadline; i++) {
        // Not `units += await op()`: that reads `units` before the await and loses the other
        // workers' counts.
        const done = await op(w, i);
        units += done;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return units / elapsed;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Results go to test/bench/results, or to BENCH_RESULTS_DIR (npm run bench's short runs). */
export function writeResults(name: string, figures: Figure[]): string {
  const dir = process.env.BENCH_RESULTS_DIR ?? join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file;
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.figure,
    `${Math.round(f.value).toLocaleString('en')} ${f.unit}`,
    f.baseline === null ? '-' : `${Math.round(f.baseline).toLocaleString('en')} ${f.unit}`,
    f.ratio === null ? '-' : f.ratio.toFixed(2),
    f.goal,
  ]);
  const header = ['figure', 'value', 'baseline (same run)', 'ratio', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}
