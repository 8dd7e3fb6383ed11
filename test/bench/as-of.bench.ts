// npm run bench:as-of: an auditor's `GET /v1/agreements/:id/compliance?asOf=` on one agreement
// with BENCH_EVENTS (default 100,000) events, through the library the API calls (AgreementReplay
// then getCompliance), beside the live answer from the projections in the same run.
//   1. Generate the agreement's events (the bench:read generator, one agreement), build the
//      projections, VACUUM ANALYZE and CHECKPOINT.
//   2. Live: getCompliance from the projection tables, BENCH_RUNS x 5 times.
//   3. As-of now (every event folded) and as-of the middle of the history (half of them),
//      BENCH_RUNS (5) times each. Medians.
import { AgreementReplay, getCompliance, PROJECTIONS, ProjectionRunner } from '@app/projections';
import { generateEvents } from './bench-events';
import {
  BenchDatabase,
  createBenchDatabase,
  describeMachine,
  Figure,
  median,
  printTable,
  writeResults,
} from './bench-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COMPLIANCE = ['agreements', 'obligations', 'violations', 'casualty-tallies'];
const t = () => performance.now();
const log = (message: string) =>
  console.error(`[as-of ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = t();
    await work();
    times.push(t() - started);
  }
  return times;
}

async function main(): Promise<void> {
  let db: BenchDatabase | undefined;
  try {
    db = await createBenchDatabase('asof', 8);
    const bench = db;
    const machine = await describeMachine(bench.pool);
    const { events, plans } = await generateEvents(bench, EVENTS, {
      writers: 1,
      agreements: 1,
      log,
    });
    const agreementId = plans[0].agreementId;
    await new ProjectionRunner(bench.pool).catchUpAll(PROJECTIONS);
    await bench.pool.query('VACUUM (ANALYZE)');
    await bench.pool.query('CHECKPOINT');
    const { rows } = await bench.pool.query<{ middle: Date }>(
      `SELECT recorded_at AS middle FROM events ORDER BY global_position
        OFFSET (SELECT count(*) / 2 FROM events) LIMIT 1`,
    );
    const middle = rows[0].middle;
    log(`${events} events for ${agreementId}; the middle was recorded at ${middle.toISOString()}`);

    const replay = new AgreementReplay(bench.pool);
    const asOf = (at: Date) =>
      replay.run(
        agreementId,
        { asOf: at },
        ({ db, at: when }) => getCompliance(db, agreementId, when),
        at,
        COMPLIANCE,
      );
    const live = median(await timed(RUNS * 5, () => getCompliance(bench.pool, agreementId)));
    const full = median(await timed(RUNS, () => asOf(new Date())));
    const half = median(await timed(RUNS, () => asOf(middle)));
    log(
      `live ${live.toFixed(1)} ms, as-of now ${full.toFixed(0)} ms, as-of middle ${half.toFixed(0)} ms`,
    );

    const label = `${events.toLocaleString('en')}-event agreement`;
    const figures: Figure[] = [
      {
        figure: `as-of compliance, every event folded, ${label}`,
        value: full,
        unit: 'ms',
        baseline: live,
        ratio: full / live,
        goal: '<= 1,000 ms (issue 5: <= 2,000 ms)',
        machine,
      },
      {
        figure: `as-of compliance at the middle of the history, ${label}`,
        value: half,
        unit: 'ms',
        baseline: live,
        ratio: half / live,
        goal: '<= 1,000 ms',
        machine,
      },
    ];
    printTable(figures);
    console.log(`\n${machine}. Medians of ${RUNS} runs; baseline: the live compliance read.`);
    console.log(`results: ${writeResults('as-of', figures)}`);
  } finally {
    await db?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
