// Rebuilds through the API and a real worker process: POST queues the job, GET /v1/admin/jobs/:id
// follows it, a SIGKILLed worker's rebuild resumes from the shadow checkpoint in the next worker,
// a projection whose version changed rebuilds itself at start-up, and the swapped-in tables equal a
// clean build of the feed.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { EventStore } from '../../libs/event-store/src';
import { compareProjections, timelineProjection } from '../../libs/projections/src';
import {
  activity,
  AgreementPlan,
  agreementSetup,
  appendInTransaction,
  prng,
} from '../bench/bench-events';
import { ApiHarness, startApi } from '../support/api-harness';
import { queuePrefix, TEST_REDIS_URL } from '../support/test-environment';
import { TS_NODE_ARGS } from '../support/ts-node';
import { until } from '../support/until';

const ROOT = join(__dirname, '..', '..');
const EVENTS = 12_000;

describe('projection rebuilds with a real worker', () => {
  let api: ApiHarness;
  let worker: ChildProcess | undefined;
  /** Every worker started, so that none outlives the file (even when a test fails midway). */
  const started: ChildProcess[] = [];
  const prefix = `${queuePrefix()}_rebuild`;

  const startWorker = () => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, join(ROOT, 'apps/worker/src/main.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          DATABASE_URL: api.db.url,
          REDIS_URL: TEST_REDIS_URL,
          QUEUE_PREFIX: prefix,
          MIGRATIONS_RUN: 'false',
          REBUILD_BATCH_SIZE: '200',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      },
    );
    worker = child;
    started.push(child);
    return child;
  };
  /** Stops the worker; resolves with its exit code (null when killed by the signal). */
  const stopWorker = async (signal: NodeJS.Signals): Promise<number | null> => {
    const child = worker;
    worker = undefined;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  };
  const job = async (id: string) =>
    (await api.http().get(`/v1/admin/jobs/${id}`).set(api.auth('admin')).expect(200)).body;
  const shadowCheckpoint = async (name: string) =>
    (
      await api.db.pool.query<{ events_read: string; started_at: Date }>(
        'SELECT events_read, started_at FROM projection_rebuilds WHERE name = $1',
        [name],
      )
    ).rows[0];

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: prefix });
    const store = new EventStore(api.db.pool);
    const client = await api.db.pool.connect();
    try {
      const r = prng(7);
      const plans: AgreementPlan[] = [];
      for (let i = 0; i < 3; i++) {
        const { plan, appends } = agreementSetup(i, r, 'rebuild-e2e');
        plans.push(plan);
        await appendInTransaction(store, client, appends);
      }
      let written = 0;
      for (let n = 0; written < EVENTS; n += 20) {
        const batch = Array.from({ length: 20 }, (_, k) => activity(plans[k % 3], r, n + k));
        written += await appendInTransaction(store, client, batch);
      }
    } finally {
      client.release();
    }
  });
  afterAll(async () => {
    await stopWorker('SIGKILL');
    await Promise.all(
      started
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGKILL');
          return exited;
        }),
    );
    await api.close();
  });

  it('answers 404 for an unknown projection or job, and 403 below admin', async () => {
    await api
      .http()
      .post('/v1/admin/projections/nothing/rebuild')
      .set(api.auth('admin'))
      .expect(404);
    await api
      .http()
      .post('/v1/admin/projections/obligations/rebuild')
      .set(api.auth('auditor'))
      .expect(403);
    await api.http().get('/v1/admin/jobs/no-such-job').set(api.auth('admin')).expect(404);
    await api.http().get('/v1/admin/jobs/no-such-job').set(api.auth('reader')).expect(403);
  });

  it('a worker killed mid-rebuild leaves the job to the next one, which resumes and swaps', async () => {
    startWorker();
    // The worker catches the projections up first; the rebuild then starts from zero.
    await until(
      'live catch-up',
      async () =>
        (
          await api.http().get('/v1/admin/projections').set(api.auth('admin')).expect(200)
        ).body.items.every((p: { lagEvents: number }) => p.lagEvents === 0),
      120_000,
    );
    const accepted = await api
      .http()
      .post('/v1/admin/projections/violations/rebuild')
      .set(api.auth('admin'))
      .expect(202);
    const { jobId } = accepted.body;
    expect(jobId).toMatch(/^rebuild-violations-/);
    // Asking again while it is queued or running gives the same job.
    const again = await api
      .http()
      .post('/v1/admin/projections/violations/rebuild')
      .set(api.auth('admin'))
      .expect(202);
    expect(again.body.jobId).toBe(jobId);

    const progressed = await until(
      'rebuild progress',
      async () => {
        const j = await job(jobId);
        return j.state === 'active' && j.progress?.eventsRead >= 1000 && j;
      },
      120_000,
    );
    expect(progressed.progress.phase).toBe('building');
    await stopWorker('SIGKILL');
    const atKill = await shadowCheckpoint('violations');
    expect(Number(atKill.events_read)).toBeGreaterThanOrEqual(1000);
    const status = (await api.http().get('/v1/admin/projections').set(api.auth('admin'))).body;
    expect(status.items.find((p: { name: string }) => p.name === 'violations').state).toBe(
      'rebuilding',
    );

    // Meanwhile a deploy changed the timeline projection's version.
    await api.db.pool.query(
      `UPDATE projection_checkpoints SET version = 0 WHERE name = 'timeline'`,
    );

    startWorker();
    // Resumed, not restarted: the shadow checkpoint keeps its start and moves on from where it was.
    const resumed = await until(
      'the rebuild resumes',
      async () => {
        const row = await shadowCheckpoint('violations');
        return row && Number(row.events_read) > Number(atKill.events_read) && row;
      },
      120_000,
    );
    expect(resumed.started_at).toEqual(atKill.started_at);
    const done = await until(
      'the rebuild completes',
      async () => {
        const j = await job(jobId);
        return j.state === 'completed' && j;
      },
      120_000,
    );
    expect(done.progress).toMatchObject({ phase: 'swapped', percent: 100 });
    expect(done.finishedAt).not.toBeNull();

    // The timeline rebuilt itself to the version in code.
    await until(
      'the timeline is rebuilt to its version',
      async () => {
        const { rows } = await api.db.pool.query(
          `SELECT version, state FROM projection_checkpoints WHERE name = 'timeline'`,
        );
        return rows[0].version === timelineProjection.version && rows[0].state === 'live';
      },
      120_000,
    );
    await until(
      'live catch-up after the swaps',
      async () =>
        (
          await api.http().get('/v1/admin/projections').set(api.auth('admin')).expect(200)
        ).body.items.every(
          (p: { lagEvents: number; state: string }) => p.lagEvents === 0 && p.state === 'live',
        ),
      120_000,
    );
    expect(await stopWorker('SIGTERM')).toBe(0);
    const comparison = await compareProjections(api.db.pool);
    expect(comparison.differences).toEqual([]);
    expect(comparison.eventsReplayed).toBeGreaterThan(EVENTS);
  });

  it('SIGTERM mid-rebuild: the batch commits, the worker exits 0, and the job is retried, not lost', async () => {
    startWorker();
    const { jobId } = (
      await api
        .http()
        .post('/v1/admin/projections/timeline/rebuild')
        .set(api.auth('admin'))
        .expect(202)
    ).body;
    await until(
      'rebuild progress',
      async () => {
        const j = await job(jobId);
        return j.state === 'active' && j.progress?.eventsRead >= 400;
      },
      120_000,
    );
    const stopped = Date.now();
    expect(await stopWorker('SIGTERM')).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(15_000);
    const interrupted = await job(jobId);
    expect(['delayed', 'waiting']).toContain(interrupted.state);
    expect(interrupted.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(interrupted.failedReason).toMatch(/interrupted by a shutdown/);
    const atStop = await shadowCheckpoint('timeline');
    expect(Number(atStop.events_read)).toBeGreaterThanOrEqual(400);

    startWorker();
    const done = await until(
      'the rebuild completes',
      async () => {
        const j = await job(jobId);
        return j.state === 'completed' && j;
      },
      120_000,
    );
    expect(done.progress).toMatchObject({ phase: 'swapped' });
    expect(await stopWorker('SIGTERM')).toBe(0);
    expect((await compareProjections(api.db.pool)).differences).toEqual([]);
  });
});
