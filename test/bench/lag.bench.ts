// npm run bench:lag: append-to-projection lag and projection throughput, with the API and the
// worker running as their own processes (compiled build) on a fresh database and a unique queue
// prefix.
//   1. The maximum sustained rate of POST /v1/violations: closed loop, autocannon, 32 connections.
//   2. Half of that rate, open loop (fixed arrival rate) for BENCH_SECONDS (default 30): each
//      report's lag is the time from sending its POST to the first poll of proj_violations that
//      returns its row. The poller asks for rows with a newer `seq` every BENCH_POLL_MS (default 5)
//      and stamps a row with the start of the poll that first returned it; the row became visible
//      between the previous poll's start and that one, so the resolution is one poll period
//      (measured and printed). Lag grows if the last third's p99 is above the first third's.
//   3. Projection throughput: the projections queue is paused (no catch-up job runs; the worker
//      stays up), BENCH_BACKLOG (default 20,000) realistic violation events are appended through
//      EventStore.append in transactions of about 100 events, the queue is resumed, and the
//      checkpoints of all five projections are polled every 10 ms until they pass the last event.
//      events / (time from resume to the last checkpoint passing the end) is the figure, beside
//      the maximum POST rate of step 1.
//   BENCH_SECONDS (30), BENCH_MAX_SECONDS (8), BENCH_CONNECTIONS (32), BENCH_BACKLOG (20000).
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { EventStore } from '@app/event-store';
import { QUEUES } from '@app/shared';
import {
  AgreementPlan,
  appendInTransaction,
  prng,
  StreamAppend,
  violationStream,
} from './bench-events';
import {
  build,
  dropQueuePrefix,
  freePort,
  histogram,
  httpClient,
  maxOf,
  openLoop,
  percentile,
  REDIS_URL,
  sleep,
  startApp,
  stopChild,
  waitForHttp,
  BENCH_AGREEMENT,
  prepareViolationWrites,
  violationReport,
} from './bench-process';
import {
  BenchDatabase,
  createBenchDatabase,
  describeMachine,
  Figure,
  printTable,
  writeResults,
} from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20_000);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 5);
const ADMIN = `bench-admin-${randomUUID()}`;

const PREFIX = `bench-lag-${randomUUID()}`;
const t = () => performance.now();
const log = (message: string) =>
  console.error(`[lag ${new Date().toISOString().slice(11, 19)}] ${message}`);

const violation = (n: number) => JSON.stringify(violationReport(n));

async function main(): Promise<void> {
  const started = t();
  let db: BenchDatabase | undefined;
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let queue: Queue | undefined;
  let queueRedis: Redis | undefined;
  let client: ReturnType<typeof httpClient> | undefined;
  try {
    db = await createBenchDatabase('lag', 12);
    const bench = db;
    build();
    log(`database and build ready (${((t() - started) / 1000).toFixed(1)} s)`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: bench.url,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      MIGRATIONS_RUN: 'false',
      ADMIN_API_KEY: ADMIN,
    };
    api = startApp('api', {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_POOL_SIZE: String(CONNECTIONS),
    });
    worker = startApp('worker', env);
    await waitForHttp(base, api);
    await waitFor(
      async () =>
        Number(
          (await bench.pool.query('SELECT count(*) AS n FROM projection_checkpoints')).rows[0].n,
        ) >= 5,
      60_000,
      'the worker did not create its checkpoints',
      () => worker?.exitCode !== null,
    );
    client = httpClient(base);
    const http = client;
    const monitor = await prepareViolationWrites(base, ADMIN);
    const machine = await describeMachine(bench.pool);

    // 1. Maximum sustained rate, closed loop (after a short warm-up).
    let n = 0;
    const cannon = async (seconds: number) =>
      autocannon({
        url: `${base}/v1/violations`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${monitor}` },
            setupRequest: (req) => ({ ...req, body: violation((n += 1)) }),
          },
        ],
      });
    await cannon(2);
    const closed = await cannon(MAX_SECONDS);
    const maxRate = closed.requests.average;
    log(
      `max POST rate ${maxRate.toFixed(0)}/s (p50 ${closed.latency.p50} ms, p99 ${closed.latency.p99} ms, non-2xx ${closed.non2xx}, errors ${closed.errors})`,
    );
    await waitForCaughtUp(bench, 120_000);
    log('projections caught up after the closed-loop run');

    // 2. Half that rate, open loop, with the poller stamping when each row first appears.
    const rate = Math.max(1, Math.round(maxRate / 2));
    const sent = new Map<string, { sentAt: number; doneAt: number }>();
    const seen = new Map<string, number>();
    const pollStarts: number[] = [];
    let polling = true;
    const lastSeq = Number(
      (await bench.pool.query('SELECT coalesce(max(seq), 0) AS s FROM proj_violations')).rows[0].s,
    );
    const poller = (async () => {
      let after = lastSeq;
      while (polling) {
        const at = t();
        pollStarts.push(at);
        const { rows } = await bench.pool.query<{ violation_id: string; seq: string }>({
          name: 'bench_poll',
          text: 'SELECT violation_id, seq FROM proj_violations WHERE seq > $1 ORDER BY seq',
          values: [after],
        });
        for (const row of rows) {
          if (!seen.has(row.violation_id)) seen.set(row.violation_id, at);
          after = Math.max(after, Number(row.seq));
        }
        await sleep(POLL_MS);
      }
    })();
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${monitor}` };
    log(`open loop at ${rate}/s for ${SECONDS} s`);
    const loopStart = t();
    const run = await openLoop(rate, SECONDS, async (i) => {
      const sentAt = t();
      const res = await http.send('POST', '/v1/violations', headers, violation(1_000_000 + i));
      if (res.status !== 201) return false;
      sent.set((JSON.parse(res.body) as { id: string }).id, { sentAt, doneAt: t() });
      return true;
    });
    await waitFor(async () => [...sent.keys()].every((id) => seen.has(id)), 60_000, null);
    polling = false;
    await poller;

    const lags: { at: number; lag: number; afterResponse: number }[] = [];
    let unseen = 0;
    for (const [id, s] of sent) {
      const at = seen.get(id);
      if (at === undefined) unseen += 1;
      else lags.push({ at: s.sentAt, lag: at - s.sentAt, afterResponse: at - s.doneAt });
    }
    lags.sort((a, b) => a.at - b.at);
    const lagValues = lags.map((l) => l.lag);
    const third = Math.floor(lags.length / 3);
    const p99First = percentile(lagValues.slice(0, third), 99);
    const p99Last = percentile(lagValues.slice(lags.length - third), 99);
    const postLatency = run.samples.map((s) => s.doneAt - s.scheduledAt);
    const failed = run.samples.filter((s) => !s.ok).length;
    const achieved = (run.samples.length / run.elapsedMs) * 1000;
    const periods = pollStarts.slice(1).map((p, i) => p - pollStarts[i]);
    const meanPeriod = periods.reduce((a, b) => a + b, 0) / Math.max(1, periods.length);
    console.error(histogram(lagValues, 'append-to-projection lag (from sending the POST)'));
    // Where the worst lags fall in the run (a wake-up lost at the end waits for the 1 s sweep).
    const worst = [...lags].sort((a, b) => b.lag - a.lag).slice(0, 5);
    log(
      `worst lags: ${worst.map((l) => `${l.lag.toFixed(0)} ms (sent at ${((l.at - loopStart) / 1000).toFixed(2)} s of ${SECONDS} s)`).join(', ')}`,
    );
    log(
      `poll period mean ${meanPeriod.toFixed(1)} ms, p99 ${percentile(periods, 99).toFixed(1)} ms; ` +
        `lag after the response p50 ${percentile(
          lags.map((l) => l.afterResponse),
          50,
        ).toFixed(1)} ms, ` +
        `p99 ${percentile(
          lags.map((l) => l.afterResponse),
          99,
        ).toFixed(1)} ms; max in flight ${run.maxInFlight}`,
    );

    // 3. Projection throughput: a backlog written while the projections queue is paused.
    await waitForCaughtUp(bench, 120_000);
    queueRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.projections, { connection: queueRedis, prefix: PREFIX });
    await queue.pause();
    await waitFor(
      async () => (await queue!.getActiveCount()) === 0,
      30_000,
      'a catch-up job stayed active',
    );
    await sleep(200);
    const before = await checkpoints(bench);
    const written = await writeBacklog(bench, BACKLOG);
    const end = (
      await bench.pool.query<{ tx: string; pos: string }>(
        `SELECT transaction_id::text AS tx, global_position::text AS pos FROM events
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
      )
    ).rows[0];
    const stillBefore = await checkpoints(bench);
    if (JSON.stringify(stillBefore) !== JSON.stringify(before))
      log('warning: a checkpoint moved while the queue was paused');
    const resumedAt = t();
    await queue.resume();
    let firstMove: number | null = null;
    const doneAt: Record<string, number> = {};
    await waitFor(
      async () => {
        const now = await checkpoints(bench);
        for (const [name, pos] of Object.entries(now)) {
          if (firstMove === null && pos !== before[name]) firstMove = t();
          if (doneAt[name] === undefined && comparePos(pos, `${end.tx}/${end.pos}`) >= 0)
            doneAt[name] = t();
        }
        return Object.keys(doneAt).length === Object.keys(now).length;
      },
      600_000,
      'the projections did not drain the backlog',
      undefined,
      10,
    );
    const drainMs = maxOf(Object.values(doneAt)) - resumedAt;
    const projectionRate = (written.events / drainMs) * 1000;
    log(
      `backlog ${written.events} events appended at ${written.rate.toFixed(0)} events/s; drained in ${drainMs.toFixed(0)} ms ` +
        `(first checkpoint moved ${firstMove === null ? '?' : (firstMove - resumedAt).toFixed(0)} ms after resume; per projection: ` +
        Object.entries(doneAt)
          .map(([name, at]) => `${name} ${(at - resumedAt).toFixed(0)} ms`)
          .join(', ') +
        ')',
    );

    const fig = (
      figure: string,
      value: number,
      unit: string,
      goal: string,
      baseline: number | null = null,
    ): Figure => ({
      figure,
      value,
      unit,
      baseline,
      ratio: baseline ? value / baseline : null,
      goal,
      machine,
    });
    const figures: Figure[] = [
      fig(
        `POST /v1/violations max sustained rate (closed loop, ${CONNECTIONS} connections, ${MAX_SECONDS} s)`,
        maxRate,
        'requests/s',
        '-',
      ),
      fig(
        `POST /v1/violations open loop: achieved rate (vs offered, half the max, ${SECONDS} s)`,
        achieved,
        'requests/s',
        '= offered',
        rate,
      ),
      fig(
        'POST /v1/violations latency p50 at the open-loop rate (from the scheduled time)',
        percentile(postLatency, 50),
        'ms',
        '-',
      ),
      fig(
        'POST /v1/violations latency p99 at the open-loop rate (from the scheduled time)',
        percentile(postLatency, 99),
        'ms',
        '-',
      ),
      fig(
        'append-to-projection lag p50 (POST sent -> row in proj_violations)',
        percentile(lagValues, 50),
        'ms',
        '-',
      ),
      fig('append-to-projection lag p99', percentile(lagValues, 99), 'ms', '<= 250 (best 100)'),
      fig('append-to-projection lag max', maxOf(lagValues), 'ms', '-'),
      fig(
        'lag p99, last third of the run (vs first third)',
        p99Last,
        'ms',
        '<= ~1 (lag not growing)',
        p99First,
      ),
      fig(
        `projection throughput: ${written.events} backlog events drained by the worker (vs max POST rate)`,
        projectionRate,
        'events/s',
        '> 1 (above the append rate)',
        maxRate,
      ),
      fig(
        'library append of the backlog (about 100 events per transaction, concurrency 4)',
        written.rate,
        'events/s',
        '-',
      ),
      fig(
        'failed POSTs and reports never seen in proj_violations',
        failed + unseen + closed.non2xx + closed.errors,
        'requests',
        '0',
      ),
    ];
    console.log(
      `\nLag benchmark: open loop at ${rate}/s for ${SECONDS} s (half the closed-loop max), poll period ${meanPeriod.toFixed(1)} ms; ${machine}\n`,
    );
    printTable(figures);
    console.log(`\nwritten to ${writeResults('lag', figures)}`);
    if (failed + unseen > 0) process.exitCode = 1;
  } finally {
    client?.close();
    await queue?.close().catch(() => undefined);
    queueRedis?.disconnect();
    await stopChild(api);
    await stopChild(worker);
    await dropQueuePrefix(PREFIX).catch((err) => console.error('could not clean Redis:', err));
    await db?.drop();
    log(`done in ${((t() - started) / 1000).toFixed(0)} s`);
  }
}

/** Polls `check` every `everyMs` until it holds; throws `message` after `timeoutMs` (null: give up quietly). */
async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  message: string | null,
  abort?: () => boolean,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (abort?.()) throw new Error(`${message ?? 'wait'}: the child process exited`);
    if (await check()) return;
    await sleep(everyMs);
  }
  if (message) throw new Error(message);
}

async function checkpoints(db: BenchDatabase): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ name: string; pos: string }>(
    `SELECT name, transaction_id::text || '/' || global_position::text AS pos FROM projection_checkpoints ORDER BY name`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.pos]));
}

function comparePos(a: string, b: string): number {
  const [ta, pa] = a.split('/').map(BigInt);
  const [tb, pb] = b.split('/').map(BigInt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/** Every checkpoint has passed every stored event. */
async function waitForCaughtUp(db: BenchDatabase, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await db.pool.query<{ behind: string }>(
        `SELECT count(*) AS behind FROM projection_checkpoints c
          WHERE EXISTS (SELECT 1 FROM events e
                         WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))`,
      );
      return Number(rows[0].behind) === 0;
    },
    timeoutMs,
    'the projections did not catch up',
  );
}

/** Appends about `total` violation events (reports and follow-ups) at concurrency 4. */
async function writeBacklog(
  db: BenchDatabase,
  total: number,
): Promise<{ events: number; rate: number }> {
  const store = new EventStore(db.pool);
  const plan: AgreementPlan = {
    agreementId: BENCH_AGREEMENT,
    effectiveMs: Date.parse('2025-10-10T09:00:00Z'),
    obligationIds: [],
    rateObligationIds: [],
  };
  let events = 0;
  let n = 0;
  const started = t();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      const r = prng(1000 + w);
      const client = await db.pool.connect();
      try {
        while (events < total) {
          const batch: StreamAppend[] = [];
          let size = 0;
          while (size < 100 && events + size < total) {
            const s = violationStream(plan, r, (n += 1), `backlog-${w}`);
            batch.push(s);
            size += s.events.length;
          }
          events += size;
          await appendInTransaction(store, client, batch);
        }
      } finally {
        client.release();
      }
    }),
  );
  return { events, rate: (events / (t() - started)) * 1000 };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
