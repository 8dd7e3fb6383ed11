// npm run bench:as-of: an auditor's `GET /v1/agreements/:id/compliance?asOf=` on one agreement
// with BENCH_EVENTS (default 100,000) events, through the library the API calls (AgreementReplay
// then getCompliance), beside the live answer from the projections in the same run, without and
// with replay snapshots.
//   1. Generate the agreement's events (the bench:read generator, one agreement), build the
//      projections, VACUUM ANALYZE and CHECKPOINT.
//   2. Live: getCompliance from the projection tables, BENCH_RUNS x 5 times.
//   3. The snapshot job from nothing (a snapshot every BENCH_SNAPSHOT_EVERY events, default
//      5,000 as SNAPSHOT_EVERY's, then retention), and one more snapshot built on the previous one.
//   4. As-of, BENCH_RUNS (5) times each, interleaved run after run: with snapshots as of now
//      (nothing after the newest snapshot), just before the newest snapshot's time (the previous
//      one plus almost SNAPSHOT_EVERY events: the most a replay near now folds) and the middle of
//      the history; without snapshots as of now (every event folded) and the middle (half of
//      them). Each answer with snapshots is checked equal to the one without. Medians.
//   5. What checking snapshots costs: a digest check of the newest snapshot's events (what a
//      check at each use would add), verify's digest check of them all, and with BENCH_REFOLD=1
//      verify --snapshots (folding every snapshot again).
import { loadavg } from 'node:os';
import {
  AgreementReplay,
  COMPLIANCE_PROJECTIONS,
  coveredEvents,
  getCompliance,
  listSnapshots,
  PROJECTIONS,
  ProjectionRunner,
  ReplaySnapshotter,
  verifySnapshotEvents,
  verifySnapshotRows,
} from '@app/projections';
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
const SNAPSHOT_EVERY = Number(process.env.BENCH_SNAPSHOT_EVERY ?? 5_000);
const t = () => performance.now();
const log = (message: string) =>
  console.error(`[as-of ${new Date().toISOString().slice(11, 19)}] ${message}`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = t();
    await work();
    times.push(t() - started);
  }
  return times;
}

async function once<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = t();
  const result = await work();
  return [result, t() - started];
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

    const withSnapshots = new AgreementReplay(bench.pool);
    const withoutSnapshots = new AgreementReplay(bench.pool, PROJECTIONS, { snapshots: false });
    const asOf = (replay: AgreementReplay, at: Date) =>
      replay.run(
        agreementId,
        { asOf: at },
        async ({ db, at: when, snapshot, eventsFolded }) => ({
          answer: await getCompliance(db, agreementId, when),
          snapshot: snapshot?.eventsCount ?? 0,
          eventsFolded,
        }),
        at,
        COMPLIANCE_PROJECTIONS,
      );
    const live = median(await timed(RUNS * 5, () => getCompliance(bench.pool, agreementId)));
    const now = new Date();
    // The snapshot job from nothing, then one snapshot built on the previous one.
    const snapshotter = new ReplaySnapshotter(bench.pool, { every: SNAPSHOT_EVERY });
    const [backfill, backfillMs] = await once(() => snapshotter.run());
    let snapshots = await listSnapshots(bench.pool, agreementId);
    const newest = snapshots[snapshots.length - 1];
    await bench.pool.query('DELETE FROM replay_snapshots WHERE snapshot_id = $1', [
      newest.snapshotId,
    ]);
    const [, incrementalMs] = await once(() => snapshotter.run());
    snapshots = await listSnapshots(bench.pool, agreementId);
    const { rows: sizes } = await bench.pool.query<{ total: string; newest: string }>(
      `SELECT pg_size_pretty(sum(pg_column_size(rows))) AS total,
              pg_size_pretty(sum(pg_column_size(rows)) FILTER (WHERE snapshot_id = $1)) AS newest
         FROM replay_snapshot_rows`,
      [snapshots[snapshots.length - 1].snapshotId],
    );
    log(
      `snapshot job from nothing: ${backfill.created} written, ${backfill.deleted} thinned out in ` +
        `${backfillMs.toFixed(0)} ms; one more on the previous: ${incrementalMs.toFixed(0)} ms; ` +
        `kept ${snapshots.map((s) => s.eventsCount).join(', ')} (${sizes[0].total}, the newest ` +
        `${sizes[0].newest})`,
    );
    await bench.pool.query('VACUUM (ANALYZE)');

    // Interleaved, run after run, so that the load of a shared machine weighs on every case alike.
    const beforeNewest = new Date(snapshots[snapshots.length - 1].maxRecordedAt.getTime() - 1);
    const cases = [
      { name: 'now', at: now, replay: withSnapshots },
      { name: 'just before the newest snapshot', at: beforeNewest, replay: withSnapshots },
      { name: 'middle', at: middle, replay: withSnapshots },
      { name: 'now, no snapshot', at: now, replay: withoutSnapshots },
      { name: 'middle, no snapshot', at: middle, replay: withoutSnapshots },
    ];
    const folded: Record<string, number> = {};
    for (const c of cases.filter((c) => c.replay === withSnapshots)) {
      const fast = await asOf(withSnapshots, c.at);
      const slow = await asOf(withoutSnapshots, c.at);
      if (JSON.stringify(fast.answer) !== JSON.stringify(slow.answer)) {
        throw new Error(`as-of ${c.name}: the answer with snapshots differs from the one without`);
      }
      folded[c.name] = fast.eventsFolded;
      log(`as-of ${c.name}: a snapshot of ${fast.snapshot} events + ${fast.eventsFolded} folded`);
    }
    const times: Record<string, number[]> = Object.fromEntries(cases.map((c) => [c.name, []]));
    const loads: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const c of cases) {
        const [, ms] = await once(() => asOf(c.replay, c.at));
        times[c.name].push(ms);
      }
      loads.push(load());
    }
    const ms = (name: string) => median(times[name]);
    for (const c of cases) log(`as-of ${c.name}: ${ms(c.name).toFixed(0)} ms`);
    log(`load average after each round: ${loads.join(' | ')}`);
    const full = ms('now, no snapshot');
    const half = ms('middle, no snapshot');
    const measured: Record<string, { ms: number; folded: number }> = Object.fromEntries(
      cases.map((c) => [c.name, { ms: ms(c.name), folded: folded[c.name] ?? 0 }]),
    );

    const newestNow = snapshots[snapshots.length - 1];
    const digestAtUse = median(
      await timed(RUNS, () => coveredEvents(bench.pool, agreementId, newestNow)),
    );
    const [, verifyMs] = await once(() => verifySnapshotEvents(bench.pool, { reject: false }));
    log(
      `digest check of the newest snapshot's ${newestNow.eventsCount} events: ` +
        `${digestAtUse.toFixed(0)} ms; verify's check of all ${snapshots.length}: ${verifyMs.toFixed(0)} ms`,
    );
    let refoldMs: number | null = null;
    if (process.env.BENCH_REFOLD === '1') {
      const [refold, ms] = await once(() => verifySnapshotRows(bench.pool, { reject: false }));
      refoldMs = ms;
      log(
        `verify --snapshots: ${refold.snapshotsChecked} snapshots, ${refold.eventsFolded} events ` +
          `folded again, ${refold.problems.length} problems, ${ms.toFixed(0)} ms`,
      );
    }

    const label = `${events.toLocaleString('en')}-event agreement`;
    const per = `snapshot every ${SNAPSHOT_EVERY.toLocaleString('en')} events`;
    const figure = (
      name: string,
      value: number,
      goal: string,
      baseline: number | null = live,
    ): Figure => ({
      figure: name,
      value,
      unit: 'ms',
      baseline,
      ratio: baseline === null ? null : value / baseline,
      goal,
      machine,
    });
    const figures: Figure[] = [
      figure(
        `as-of compliance, every event folded (no snapshot), ${label}`,
        full,
        '<= 1,000 ms (issue 5: <= 2,000 ms)',
      ),
      figure(
        `as-of compliance at the middle of the history (no snapshot), ${label}`,
        half,
        '<= 1,000 ms',
      ),
      figure(
        `as-of compliance now, from the newest snapshot, ${label}, ${per}`,
        measured.now.ms,
        '<= 1,000 ms (issue 5: <= 2,000 ms)',
      ),
      figure(
        `as-of compliance just before the newest snapshot (previous one + ` +
          `${measured['just before the newest snapshot'].folded.toLocaleString('en')} events), ${label}`,
        measured['just before the newest snapshot'].ms,
        '<= 1,000 ms (issue 5: <= 2,000 ms)',
      ),
      figure(
        `as-of compliance at the middle of the history, from a snapshot (+ ` +
          `${measured.middle.folded.toLocaleString('en')} events), ${label}`,
        measured.middle.ms,
        '<= 1,000 ms',
      ),
      figure(
        `snapshot job from nothing (${backfill.created} snapshots), ${label}`,
        backfillMs,
        'background',
        null,
      ),
      figure(
        `one snapshot built on the previous one (+${SNAPSHOT_EVERY.toLocaleString('en')} events), ${label}`,
        incrementalMs,
        'background',
        null,
      ),
      figure(
        `digest check of the newest snapshot's events (a check at each use would add this)`,
        digestAtUse,
        'none at use',
        null,
      ),
      figure(`verify: digest check of all ${snapshots.length} snapshots`, verifyMs, '-', null),
      ...(refoldMs === null
        ? []
        : [figure(`verify --snapshots: fold every snapshot again`, refoldMs, '-', null)]),
    ];
    printTable(figures);
    console.log(
      `\n${machine}. Medians of ${RUNS} runs; baseline: the live compliance read. ` +
        `Load average at the end: ${load()}.`,
    );
    console.log(`results: ${writeResults('as-of', figures)}`);
  } finally {
    await db?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
