// npm run bench:http-append: POST /v1/violations with valid, distinct bodies at 32 concurrent
// connections (autocannon) against the API running as its own process, beside raw single-row
// INSERTs into a same-shape table at the same concurrency, measured in the same run.
//   The API's resident memory is sampled every second during the measured run (Linux /proc).
//   BENCH_SECONDS (default 20; 300 for the five-minute memory check), BENCH_CONNECTIONS
//   (default 32).
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import {
  build,
  maxOf,
  profileFlags,
  dropQueuePrefix,
  prepareViolationWrites,
  ROOT,
  startNode,
  stopChild,
  violationReport,
  waitForHttp,
} from './bench-process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createBenchDatabase,
  describeMachine,
  Figure,
  median,
  printTable,
  throughput,
  writeResults,
} from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
const ADMIN = `bench-admin-${randomUUID()}`;
/** The API's queue key prefix: removed from Redis at the end, like the database. */
const PREFIX = `bench-http-${randomUUID()}`;
const base = `http://127.0.0.1:${PORT}`;

/** Samples a process's resident memory (Linux /proc) every second until stopped; MB. */
function sampleRss(pid: number | undefined) {
  const samples: number[] = [];
  const read = () => {
    const status = pid ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    if (kb > 0) samples.push(kb / 1024);
  };
  read();
  const timer = setInterval(read, 1000);
  return {
    stop() {
      clearInterval(timer);
      read();
      const quarter = Math.max(1, Math.floor(samples.length / 4));
      const firstQuarter = median(samples.slice(0, quarter));
      const lastQuarter = median(samples.slice(-quarter));
      return { peak: maxOf(samples), firstQuarter, drift: lastQuarter - firstQuarter };
    },
  };
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('http', CONNECTIONS + 8);
  // The API runs as production runs it: the compiled build, its own process.
  build();
  const api = startNode(
    [
      // BENCH_API_PROFILE=<dir> writes a CPU profile of the API process there.
      ...profileFlags('api'),
      join(ROOT, 'dist/apps/api/src/main.js'),
    ],
    {
      DATABASE_URL: db.url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN,
      MIGRATIONS_RUN: 'false',
      // BENCH_API_PROCESSES runs the API as that many processes on one port (API_PROCESSES).
      API_PROCESSES: String(API_PROCESSES),
      DATABASE_POOL_SIZE: String(Math.ceil(CONNECTIONS / API_PROCESSES)),
      QUEUE_PREFIX: PREFIX,
    },
  );
  try {
    await waitForHttp(base, api);
    const monitor = await prepareViolationWrites(base, ADMIN);
    const machine = await describeMachine(db.pool);

    // Warm the API (JIT, connection pool) before measuring.
    await runAutocannon(monitor, Math.min(3, SECONDS));
    const memory = sampleRss(api.pid);
    const http = await runAutocannon(monitor, SECONDS);
    const rss = memory.stop();

    await db.pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
    const versions = new Array(CONNECTIONS).fill(0);
    const run = randomUUID();
    const raw = await throughput(CONNECTIONS, SECONDS, async (w) => {
      versions[w] += 1;
      await db.pool.query({
        name: 'raw_insert',
        text: `INSERT INTO raw_events (event_id, stream_id, stream_type, stream_version, event_type, schema_version,
                 data, metadata, occurred_at, recorded_at, prev_hash, hash)
               VALUES ($1, $2, 'violation', $3, 'ViolationReported', 1, $4, $5, now(), now(), $6, $6)`,
        values: [
          randomUUID(),
          `raw-${run}-${w}`,
          versions[w],
          JSON.stringify(violationReport(versions[w])),
          JSON.stringify({ actor: { keyId: 'k', name: 'n', role: 'monitor' } }),
          Buffer.alloc(32, 1),
        ],
      });
      return 1;
    });
    const failed = http.non2xx + http.errors;
    const figures: Figure[] = [
      {
        figure: `HTTP POST /v1/violations, ${CONNECTIONS} connections (vs raw single-row INSERT at ${CONNECTIONS})`,
        value: http.requestsPerSecond,
        unit: 'requests/s',
        baseline: raw,
        ratio: http.requestsPerSecond / raw,
        goal: '>= 0.4 (issue 3), >= 0.5 (issue 7)',
        machine,
      },
      {
        figure: 'HTTP POST /v1/violations latency p50',
        value: http.p50,
        unit: 'ms',
        baseline: null,
        ratio: null,
        goal: '-',
        machine,
      },
      {
        figure: 'HTTP POST /v1/violations latency p99',
        value: http.p99,
        unit: 'ms',
        baseline: null,
        ratio: null,
        goal: '-',
        machine,
      },
      {
        figure: `API RSS under the HTTP append load, peak over ${SECONDS} s`,
        value: rss.peak,
        unit: 'MB',
        baseline: null,
        ratio: null,
        goal: '<= 300 MB',
        machine,
      },
      {
        figure: 'API RSS drift under the load: median of the last quarter minus the first',
        value: rss.drift,
        unit: 'MB',
        baseline: rss.firstQuarter,
        ratio: rss.firstQuarter > 0 ? (rss.firstQuarter + rss.drift) / rss.firstQuarter : null,
        goal: 'flat (ratio <= 1.1)',
        machine,
      },
      {
        figure: 'HTTP POST /v1/violations non-2xx answers and errors',
        value: failed,
        unit: 'responses',
        baseline: null,
        ratio: null,
        goal: '0',
        machine,
      },
    ];
    console.log(
      `\nHTTP append benchmark: ${SECONDS}s at ${CONNECTIONS} connections (closed loop); ${machine}\n`,
    );
    printTable(figures);
    console.log(`\nwritten to ${writeResults('http-append', figures)}`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    await stopChild(api);
    await dropQueuePrefix(PREFIX).catch((err) => console.error('could not clean Redis:', err));
    await db.drop();
  }
}

async function runAutocannon(key: string, seconds: number) {
  let n = 0;
  const result = await autocannon({
    url: `${base}/v1/violations`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(violationReport((n += 1))) }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
