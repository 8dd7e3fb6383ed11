// npm run bench:hot-read: many dashboards polling the compliance of one agreement while its
// projections change, the case the compliance cache cannot answer from memory.
//   1. Generate BENCH_EVENTS (default 20,000) events over 10 agreements and build the projections.
//   2. Start the API as shipped and, as the baseline, a second one with COMPLIANCE_CACHE_ENTRIES=0
//      (every answer computed by its own request: no answer kept, no computation shared).
//   3. In this process, a writer appends one violation stream to the first agreement and projects
//      it (ProjectionRunner.catchUpAll), then waits BENCH_CHANGE_PAUSE_MS (20): the projections
//      change some 25 times a second, so most kept answers are stale by the next request.
//   4. Closed loop (autocannon, BENCH_CONNECTIONS = 32) on GET /v1/agreements/:id/compliance of
//      that agreement, BENCH_SECONDS (8) per API, the two APIs alternated BENCH_RUNS (3) times;
//      medians. The lookups (hit, miss, shared) come from each API's /metrics.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { EventStore } from '@app/event-store';
import { PROJECTIONS, ProjectionRunner } from '@app/projections';
import { generateEvents, prng, toNewEvents, violationStream } from './bench-events';
import {
  build,
  dropQueuePrefix,
  freePort,
  httpClient,
  REDIS_URL,
  sleep,
  startApp,
  stopChild,
  waitForHttp,
} from './bench-process';
import {
  createBenchDatabase,
  describeMachine,
  Figure,
  median,
  printTable,
  writeResults,
} from './bench-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CHANGE_PAUSE_MS = Number(process.env.BENCH_CHANGE_PAUSE_MS ?? 20);
const ADMIN = `bench-admin-${randomUUID()}`;
const PREFIX = `bench-hot-read-${randomUUID()}`;
const log = (message: string) =>
  console.error(`[hot-read ${new Date().toISOString().slice(11, 19)}] ${message}`);

type Lookups = Record<string, number>;

/** One closed-loop run against one API. */
interface Run {
  rate: number;
  p99: number;
  changesPerSecond: number;
  lookups: Lookups;
}

async function lookups(base: string): Promise<Lookups> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const found = text.matchAll(/ceasefire_compliance_cache_lookups_total\{result="(\w+)"\} (\d+)/g);
  return Object.fromEntries([...found].map((m) => [m[1], Number(m[2])]));
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('hot_read', 8);
  const apis: ReturnType<typeof startApp>[] = [];
  try {
    const generated = await generateEvents(db, EVENTS, { writers: 4, agreements: 10, log });
    const runner = new ProjectionRunner(db.pool);
    await runner.catchUpAll(PROJECTIONS);
    const machine = await describeMachine(db.pool);
    build();

    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      MIGRATIONS_RUN: 'false',
      ADMIN_API_KEY: ADMIN,
      HOST: '127.0.0.1',
      DATABASE_POOL_SIZE: '16',
    };
    const shipped = `http://127.0.0.1:${await freePort()}`;
    const computing = `http://127.0.0.1:${await freePort()}`;
    apis.push(
      startApp('api', { ...env, PORT: new URL(shipped).port }),
      startApp('api', { ...env, PORT: new URL(computing).port, COMPLIANCE_CACHE_ENTRIES: '0' }),
    );
    await waitForHttp(shipped, apis[0]);
    await waitForHttp(computing, apis[1]);
    const keyAnswer = await httpClient(shipped).send(
      'POST',
      '/v1/admin/api-keys',
      { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      JSON.stringify({ name: 'bench dashboards', role: 'reader' }),
    );
    if (keyAnswer.status !== 201) throw new Error(`api key: ${keyAnswer.status} ${keyAnswer.body}`);
    const reader = (JSON.parse(keyAnswer.body) as { key: string }).key;

    // 3. The writer: the hot agreement's projections change every few tens of milliseconds.
    const hot = generated.plans[0];
    const store = new EventStore(db.pool);
    const random = prng(7);
    let writing = true;
    let changes = 0;
    const writer = (async () => {
      for (let n = 1; writing; n++) {
        const append = violationStream(hot, random, EVENTS + n, 'hot');
        await store.append(append.streamId, append.streamType, toNewEvents(append), 'no_stream');
        await runner.catchUpAll(PROJECTIONS);
        changes += 1;
        await sleep(CHANGE_PAUSE_MS);
      }
    })();

    // 4. The two APIs alternated.
    const results = { shipped: [] as Run[], computing: [] as Run[] };
    for (let run = 0; run < RUNS; run++) {
      for (const [name, base] of [
        ['shipped', shipped],
        ['computing', computing],
      ] as const) {
        const before = await lookups(base);
        const changesBefore = changes;
        const result = await autocannon({
          url: `${base}/v1/agreements/${hot.agreementId}/compliance`,
          connections: CONNECTIONS,
          duration: SECONDS,
          headers: { authorization: `Bearer ${reader}` },
        });
        if (result.non2xx + result.errors > 0)
          throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const after = await lookups(base);
        const counted = Object.fromEntries(
          Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]),
        );
        const r: Run = {
          rate: result.requests.average,
          p99: result.latency.p99,
          changesPerSecond: (changes - changesBefore) / SECONDS,
          lookups: counted,
        };
        results[name].push(r);
        log(
          `${name}: ${Math.round(r.rate)} requests/s, p99 ${r.p99} ms, ` +
            `${r.changesPerSecond.toFixed(0)} changes/s, lookups ${JSON.stringify(counted)}`,
        );
      }
    }
    writing = false;
    await writer;

    const med = (runs: Run[], f: (r: Run) => number) => median(runs.map(f));
    const computed = (r: Run) => (r.lookups.miss ?? 0) / SECONDS;
    const shippedRate = med(results.shipped, (r) => r.rate);
    const computingRate = med(results.computing, (r) => r.rate);
    const changesPerSecond = med(
      [...results.shipped, ...results.computing],
      (r) => r.changesPerSecond,
    );
    const figures: Figure[] = [
      {
        figure: `GET compliance of one agreement changing ${changesPerSecond.toFixed(0)} times/s, ${CONNECTIONS} connections (vs every answer computed)`,
        value: shippedRate,
        unit: 'requests/s',
        baseline: computingRate,
        ratio: shippedRate / computingRate,
        goal: '-',
        machine,
      },
      {
        figure: 'the same: answers computed per second (vs every answer computed)',
        value: med(results.shipped, computed),
        unit: 'answers/s',
        baseline: med(results.computing, computed),
        ratio: med(results.shipped, computed) / med(results.computing, computed),
        goal: '-',
        machine,
      },
      {
        figure: 'the same: latency p99, closed loop (vs every answer computed)',
        value: med(results.shipped, (r) => r.p99),
        unit: 'ms',
        baseline: med(results.computing, (r) => r.p99),
        ratio: med(results.shipped, (r) => r.p99) / med(results.computing, (r) => r.p99),
        goal: '-',
        machine,
      },
    ];
    console.log(
      `\nOne hot agreement read while it changes: ${EVENTS.toLocaleString('en')} events over 10 agreements, ` +
        `${RUNS} alternated runs of ${SECONDS} s per API, medians; ${machine}\n`,
    );
    printTable(figures);
    console.log(`\nwritten to ${writeResults('hot-read', figures)}`);
  } finally {
    for (const api of apis) await stopChild(api);
    await dropQueuePrefix(PREFIX).catch((err) => console.error('could not clean Redis:', err));
    await db.drop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
