// npm run bench:read: reads of the projections through the API (compiled build, its own process)
// on a store of BENCH_EVENTS (default 1,000,000) realistic events over 100 agreements.
//   1. Generate: EventStore.append inside transactions of about 100 events (several streams each),
//      at concurrency BENCH_CONCURRENCY (default 6); each agreement belongs to one writer, so no two
//      transactions touch the same stream. Per agreement: registration, two phase starts, 10-20
//      obligations (two of them daily rates), then activity: about 93% violation streams (a report
//      and 0-4 follow-ups: sources, disputes, casualty revisions, a verification or a retraction),
//      6% progress reports, 1% casualty tallies.
//   2. Build the projections with ProjectionRunner.catchUpAll(PROJECTIONS); then VACUUM ANALYZE the
//      projection tables (as autovacuum would) and let the load settle (VACUUM ANALYZE events and
//      a CHECKPOINT), so that the reads are measured in a steady state.
//   3. Start the API, and a second one with its compliance cache off (COMPLIANCE_CACHE_ENTRIES=0:
//      every compliance answer computed, the path of every read after a projection change; the
//      store does not change here, so the first API answers compliance from its cache after the
//      first read of each agreement); for GET /v1/agreements/:id/compliance (both APIs),
//      GET /v1/obligations?agreementId= and
//      GET /v1/agreements/:id/timeline (rotating over the 100 agreements): the closed-loop
//      maximum (autocannon, BENCH_CONNECTIONS, BENCH_MAX_SECONDS), then half of it at a fixed
//      arrival rate (open loop) for BENCH_SECONDS;
//      latency counts from each request's scheduled time; the open loop runs in a generator
//      process of its own (open-loop-process.ts). Baseline in the same run: bare Fastify in a child
//      process answering one primary-key SELECT from proj_agreements through pg, its closed-loop
//      maximum (the throughput the reads are compared with) and its latency at each read's rate.
//   BENCH_EVENTS (1000000), BENCH_CONCURRENCY (6), BENCH_SECONDS (15), BENCH_MAX_SECONDS (6),
//   BENCH_CONNECTIONS (16), BENCH_RATE_FRACTION (0.5).
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { PROJECTIONS, ProjectionRunner } from '@app/projections';
import { generateEvents } from './bench-events';
import {
  build,
  dropQueuePrefix,
  freePort,
  histogram,
  httpClient,
  maxOf,
  openLoopInProcess,
  percentile,
  REDIS_URL,
  sleep,
  startApp,
  startNode,
  stopChild,
  waitForHttp,
} from './bench-process';
import {
  BenchDatabase,
  createBenchDatabase,
  describeMachine,
  Figure,
  printTable,
  writeResults,
} from './bench-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const WRITERS = Number(process.env.BENCH_CONCURRENCY ?? 6);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const FRACTION = Number(process.env.BENCH_RATE_FRACTION ?? 0.5);
const AGREEMENTS = 100;
const POOL_SIZE = 16;
const ADMIN = `bench-admin-${randomUUID()}`;
const PREFIX = `bench-read-${randomUUID()}`;
const t = () => performance.now();
const log = (message: string) =>
  console.error(`[read ${new Date().toISOString().slice(11, 19)}] ${message}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// The baseline: bare Fastify, one primary-key SELECT through pg per request.
const BASELINE_SERVER = `
const fastify = require('fastify')();
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL) });
fastify.get('/agreements/:id', async (request, reply) => {
  const { rows } = await pool.query({
    name: 'pk',
    text: 'SELECT agreement_id, title, effective_at, parties, phases, updated_at FROM proj_agreements WHERE agreement_id = $1',
    values: [request.params.id],
  });
  if (!rows[0]) reply.code(404);
  return rows[0] ?? null;
});
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
`;

interface Measured {
  maxRate: number;
  rate: number;
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  maxInFlight: number;
}

async function main(): Promise<void> {
  const started = t();
  let db: BenchDatabase | undefined;
  let api: ChildProcess | undefined;
  let uncached: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  const clients: ReturnType<typeof httpClient>[] = [];
  try {
    db = await createBenchDatabase('read', POOL_SIZE);
    const bench = db;
    const machine = await describeMachine(bench.pool);

    // 1. Generate.
    let phase = t();
    const generated = await generateEvents(bench, EVENTS, {
      writers: WRITERS,
      agreements: AGREEMENTS,
      log,
    });
    const generateMs = t() - phase;
    log(`generated ${generated.events} events in ${secs(generateMs)}`);

    // 2. Build the projections.
    phase = t();
    const runner = new ProjectionRunner(bench.pool);
    const progress = watchCheckpoints(bench, phase);
    const applied = await runner.catchUpAll(PROJECTIONS);
    const buildMs = t() - phase;
    await progress.stop();
    log(`catchUpAll in ${secs(buildMs)}: ${JSON.stringify(applied)}`);
    phase = t();
    await bench.pool.query(
      `VACUUM (ANALYZE) proj_agreements, proj_obligation_anchors, proj_obligations, proj_violations,
         proj_violation_stats_daily, proj_obligation_violation_counts, proj_party_violation_counts,
         proj_agreement_violation_totals, proj_timeline, proj_casualty_tallies,
         projection_checkpoints`,
    );
    log(`VACUUM ANALYZE of the projection tables in ${secs(t() - phase)}`);
    // Reads are measured in a steady state: the million-event load just before would otherwise
    // still be flushing (checkpoint) and vacuuming the events table under the measured requests.
    phase = t();
    await bench.pool.query('VACUUM (ANALYZE) events, streams');
    await bench.pool.query('CHECKPOINT');
    log(`settled the load (VACUUM ANALYZE events, CHECKPOINT) in ${secs(t() - phase)}`);
    const { rows: sizes } = await bench.pool.query<{ name: string; n: string; size: string }>(
      `SELECT relname AS name, n_live_tup::text AS n, pg_size_pretty(pg_total_relation_size(relid)) AS size
         FROM pg_stat_user_tables WHERE relname LIKE 'proj_%' OR relname = 'events' ORDER BY relname`,
    );
    log(`tables: ${sizes.map((s) => `${s.name} ${s.n} rows ${s.size}`).join('; ')}`);
    await explainHotQueries(bench, generated.plans[0].agreementId);

    // 3. The API and the bare baseline server.
    phase = t();
    build();
    log(`build in ${secs(t() - phase)}`);
    const [apiPort, uncachedPort, barePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const apiBase = `http://127.0.0.1:${apiPort}`;
    const uncachedBase = `http://127.0.0.1:${uncachedPort}`;
    const bareBase = `http://127.0.0.1:${barePort}`;
    const apiEnv = {
      DATABASE_URL: bench.url,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      MIGRATIONS_RUN: 'false',
      ADMIN_API_KEY: ADMIN,
      HOST: '127.0.0.1',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
    };
    api = startApp('api', { ...apiEnv, PORT: String(apiPort) });
    // The same API with its compliance cache off: every answer computed (the miss path).
    uncached = startApp('api', {
      ...apiEnv,
      PORT: String(uncachedPort),
      COMPLIANCE_CACHE_ENTRIES: '0',
    });
    bare = startNode(['-e', BASELINE_SERVER], {
      DATABASE_URL: bench.url,
      PORT: String(barePort),
      POOL: String(POOL_SIZE),
    });
    const ids = generated.plans.map((p) => p.agreementId);
    await waitForHttp(apiBase, api);
    await waitForHttp(uncachedBase, uncached);
    await waitForHttp(bareBase, bare, `/agreements/${ids[0]}`);
    const apiClient = httpClient(apiBase);
    const uncachedClient = httpClient(uncachedBase);
    clients.push(apiClient, uncachedClient);
    const keyAnswer = await apiClient.send(
      'POST',
      '/v1/admin/api-keys',
      { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      JSON.stringify({ name: 'bench reader', role: 'reader' }),
    );
    if (keyAnswer.status !== 201) throw new Error(`api key: ${keyAnswer.status} ${keyAnswer.body}`);
    const reader = (JSON.parse(keyAnswer.body) as { key: string }).key;
    const auth = { authorization: `Bearer ${reader}` };

    const compliancePath = (i: number) => `/v1/agreements/${ids[i % ids.length]}/compliance`;
    const endpoints = [
      {
        // The store does not change while it is read: after the first answer of each agreement,
        // every answer comes from the API's compliance cache (checked against the projections).
        name: 'GET /v1/agreements/:id/compliance',
        path: compliancePath,
        base: apiBase,
        client: apiClient,
        goal: '>= 0.5 (issue 7)',
      },
      {
        name: 'GET /v1/agreements/:id/compliance, cache off (every answer computed)',
        path: compliancePath,
        base: uncachedBase,
        client: uncachedClient,
        goal: '-',
      },
      {
        name: 'GET /v1/obligations?agreementId=',
        path: (i: number) => `/v1/obligations?agreementId=${ids[i % ids.length]}`,
        base: apiBase,
        client: apiClient,
        goal: '-',
      },
      {
        // The first page (50 entries): its account is written at read time from the events.
        name: 'GET /v1/agreements/:id/timeline',
        path: (i: number) => `/v1/agreements/${ids[i % ids.length]}/timeline`,
        base: apiBase,
        client: apiClient,
        goal: '-',
      },
    ];
    const barePath = (i: number) => `/agreements/${ids[i % ids.length]}`;
    const figures: Figure[] = [];
    const fig = (
      figure: string,
      value: number,
      unit: string,
      goal: string,
      baseline: number | null = null,
    ) =>
      figures.push({
        figure,
        value,
        unit,
        baseline,
        ratio: baseline ? value / baseline : null,
        goal,
        machine,
      });
    fig(
      `generate ${generated.events.toLocaleString('en')} events (EventStore.append, ~100 per transaction, concurrency ${WRITERS}; ${secs(generateMs)})`,
      (generated.events / generateMs) * 1000,
      'events/s',
      '-',
    );
    fig(
      `build projections: catchUpAll(PROJECTIONS) from zero (${secs(buildMs)})`,
      (generated.events / buildMs) * 1000,
      'events/s',
      '-',
    );
    const bareMax = await closedLoopMax(bareBase, barePath, {}, 'bare Fastify');
    let failures = bareMax.failed;
    for (const endpoint of endpoints) {
      const sample = await endpoint.client.send('GET', endpoint.path(0), auth);
      if (sample.status !== 200)
        throw new Error(`${endpoint.name}: ${sample.status} ${sample.body}`);
      log(`${endpoint.name}: ${sample.body.length} bytes for ${ids[0]}`);
      phase = t();
      const m = await measure(endpoint.base, endpoint.client, endpoint.path, auth);
      log(`${endpoint.name}: measured in ${secs(t() - phase)}`);
      const b = await measureAtRate(bareBase, barePath, {}, m.rate, 'bare Fastify');
      failures += m.failed + b.failed;
      fig(
        `${endpoint.name}: max rate, closed loop (${CONNECTIONS} connections, ${MAX_SECONDS} s; vs bare Fastify + one primary-key SELECT)`,
        m.maxRate,
        'requests/s',
        endpoint.goal,
        bareMax.rate,
      );
      fig(
        `${endpoint.name}: achieved rate, open loop (vs offered, ${FRACTION} of the max, ${SECONDS} s)`,
        m.achieved,
        'requests/s',
        '= offered',
        m.rate,
      );
      fig(
        `${endpoint.name}: latency p50 at that rate (vs bare Fastify, same rate)`,
        m.p50,
        'ms',
        '-',
        b.p50,
      );
      fig(
        `${endpoint.name}: latency p99 at that rate (vs bare Fastify, same rate)`,
        m.p99,
        'ms',
        '<= 20',
        b.p99,
      );
      log(
        `${endpoint.name}: max ${m.max.toFixed(1)} ms, in flight up to ${m.maxInFlight}; bare Fastify max ${b.max.toFixed(1)} ms`,
      );
    }
    fig('non-200 answers and errors (API and baseline)', failures, 'responses', '0');
    console.log(
      `\nRead benchmark: ${generated.events.toLocaleString('en')} events over ${AGREEMENTS} agreements; open loop ${SECONDS} s at ${FRACTION} of the closed-loop max; ${machine}\n`,
    );
    printTable(figures);
    console.log(`\nwritten to ${writeResults('read', figures)}`);
    if (failures > 0) process.exitCode = 1;
  } finally {
    for (const c of clients) c.close();
    await stopChild(api);
    await stopChild(uncached);
    await stopChild(bare);
    await dropQueuePrefix(PREFIX).catch((err) => console.error('could not clean Redis:', err));
    await db?.drop();
    log(`done in ${secs(t() - started)}`);
  }
}

/** Closed-loop maximum, then an open-loop run at FRACTION of it. */
async function measure(
  base: string,
  client: ReturnType<typeof httpClient>,
  path: (i: number) => string,
  headers: Record<string, string>,
): Promise<Measured> {
  const maxRate = await closedLoopMax(base, path, headers, 'API');
  const rate = Math.max(1, Math.round(maxRate.rate * FRACTION));
  await sleep(500);
  const before = await apiRuntime(client);
  const open = await measureAtRate(base, path, headers, rate, 'API');
  const after = await apiRuntime(client);
  const gc = (kind: string) => {
    const count = (after.gc[kind]?.count ?? 0) - (before.gc[kind]?.count ?? 0);
    const ms = ((after.gc[kind]?.sum ?? 0) - (before.gc[kind]?.sum ?? 0)) * 1000;
    return `${kind} ${count} (${ms.toFixed(0)} ms)`;
  };
  // prom-client samples the delay with a 10 ms timer: an idle loop reads about 10 ms (the min).
  log(
    `API during the open loop: event-loop delay (10 ms timer) min ${after.lagMin.toFixed(1)}, ` +
      `p99 ${after.lagP99.toFixed(1)}, max ${after.lagMax.toFixed(1)} ms; GC pauses ` +
      ['minor', 'major', 'incremental'].map(gc).join(', '),
  );
  return { ...open, maxRate: maxRate.rate, failed: open.failed + maxRate.failed };
}

/** The closed-loop maximum (autocannon, CONNECTIONS, MAX_SECONDS after a 2 s warm-up). */
async function closedLoopMax(
  base: string,
  path: (i: number) => string,
  headers: Record<string, string>,
  label: string,
): Promise<{ rate: number; failed: number }> {
  let n = 0;
  const cannon = (seconds: number) =>
    autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: path(n++) }) }],
    });
  await cannon(2);
  const closed = await cannon(MAX_SECONDS);
  log(
    `${label} closed loop: ${closed.requests.average.toFixed(0)}/s, p50 ${closed.latency.p50} ms, p99 ${closed.latency.p99} ms, non-2xx ${closed.non2xx}, errors ${closed.errors}`,
  );
  return { rate: closed.requests.average, failed: closed.non2xx + closed.errors };
}

interface ApiRuntime {
  /** Event-loop delay since the previous scrape (prom-client resets it at each), ms. */
  lagMin: number;
  lagP99: number;
  lagMax: number;
  /** GC pauses by kind since the process started: count and total seconds. */
  gc: Record<string, { count: number; sum: number }>;
}

/** The API's event-loop delay and GC pauses, from its /metrics (prom-client's default metrics). */
async function apiRuntime(client: ReturnType<typeof httpClient>): Promise<ApiRuntime> {
  const { body } = await client.send('GET', '/metrics', {});
  const value = (name: string) =>
    Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(body)?.[1] ?? NaN);
  const gc: ApiRuntime['gc'] = {};
  for (const m of body.matchAll(
    /^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([0-9.e+-]+)/gm,
  )) {
    const entry = (gc[m[2]] ??= { count: 0, sum: 0 });
    entry[m[1] as 'sum' | 'count'] = Number(m[3]);
  }
  return {
    lagMin: value('nodejs_eventloop_lag_min_seconds') * 1000,
    lagP99: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    lagMax: value('nodejs_eventloop_lag_max_seconds') * 1000,
    gc,
  };
}

async function measureAtRate(
  base: string,
  path: (i: number) => string,
  headers: Record<string, string>,
  rate: number,
  label: string,
): Promise<Omit<Measured, 'maxRate'>> {
  // A short warm-up at the same rate, then the measured run, in a generator process of its own.
  const run = await openLoopInProcess({
    base,
    paths: Array.from({ length: AGREEMENTS }, (_, i) => path(i)),
    headers,
    rate,
    seconds: SECONDS,
    warmupSeconds: 2,
  });
  const failed = Object.values(run.failures).reduce((a, b) => a + b, 0);
  if (failed > 0) console.error(`${label}: failed answers ${JSON.stringify(run.failures)}`);
  const latency = run.latencies;
  console.error(histogram(latency, `${label} at ${rate}/s, latency from the scheduled time`));
  log(
    `${label}: the generator's own GC pauses during the run: ${run.gc.count}, ` +
      `${run.gc.totalMs.toFixed(0)} ms in all, longest ${run.gc.maxMs.toFixed(1)} ms`,
  );
  return {
    rate,
    achieved: (latency.length / run.elapsedMs) * 1000,
    p50: percentile(latency, 50),
    p99: percentile(latency, 99),
    max: maxOf(latency),
    failed,
    maxInFlight: run.maxInFlight,
  };
}

/** Appends `total` events: the agreements' setup, then their activity, ~100 events a transaction. */
/** Logs the projections' progress every 5 s while catchUpAll runs, and when each finishes. */
function watchCheckpoints(db: BenchDatabase, since: number): { stop(): Promise<void> } {
  let running = true;
  const done = (async () => {
    const { rows } = await db.pool.query<{ max: string }>(
      'SELECT max(global_position)::text AS max FROM events',
    );
    const end = Number(rows[0].max);
    const finished = new Set<string>();
    let lastLog = t();
    while (running) {
      await sleep(250);
      const cp = await db.pool.query<{ name: string; pos: string }>(
        'SELECT name, global_position::text AS pos FROM projection_checkpoints ORDER BY name',
      );
      for (const row of cp.rows) {
        if (!finished.has(row.name) && Number(row.pos) >= end) {
          finished.add(row.name);
          log(`  projection ${row.name} done after ${secs(t() - since)}`);
        }
      }
      if (t() - lastLog > 5000) {
        lastLog = t();
        log(
          `  checkpoints: ${cp.rows.map((r) => `${r.name} ${Math.round((Number(r.pos) / end) * 100)}%`).join(', ')}`,
        );
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Plans of the reads' heaviest queries for one agreement (evidence for the report). */
async function explainHotQueries(db: BenchDatabase, agreementId: string): Promise<void> {
  const queries: [string, string, unknown[]][] = [
    [
      'compliance: violations by party and level',
      `SELECT party_id, verification, reports, killed, injured
         FROM proj_party_violation_counts WHERE agreement_id = $1`,
      [agreementId],
    ],
    [
      'obligations list: violation counts of a page of obligations',
      `SELECT obligation_id, verification, reports FROM proj_obligation_violation_counts
        WHERE obligation_id = ANY ((SELECT array_agg(obligation_id) FROM proj_obligations
                                     WHERE agreement_id = $1)::text[])`,
      [agreementId],
    ],
  ];
  for (const [title, sql, values] of queries) {
    const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
      values,
    );
    console.error(`${title}:\n  ${rows.map((r) => r['QUERY PLAN']).join('\n  ')}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
