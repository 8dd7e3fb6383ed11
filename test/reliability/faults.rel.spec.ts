// Load with faults: the mixed load at a fixed rate against the API and the worker as real
// processes, while Redis stops, PostgreSQL drops every connection and refuses new ones (what the
// service sees of a restart), the worker is SIGKILLed three times (once mid-rebuild) and the API
// is SIGKILLed and restarted. Then: no 5xx but 503 UNAVAILABLE during a fault, no request left
// hanging, every acknowledged write in the feed exactly once, and projections equal to a replay of
// the events.
import { Client } from 'pg';
import { ADMIN_URL } from '../support/test-environment';
import { compareReadModel, lostWrites, Service, sleep, tally, until } from './mixed-load';
import { generateEvents } from '../bench/bench-events';
import { atScale } from './scale';

/** Processes start with ts-node and the load runs for minutes: well past Jest's default. */
const TEST_TIMEOUT_MS = atScale({ ci: 600_000, full: 1_800_000 });

const RATE = atScale({ ci: 25, full: 150 });
const STEADY_MS = atScale({ ci: 4_000, full: 60_000 });
const REDIS_DOWN_MS = atScale({ ci: 8_000, full: 30_000 });
/** Events written before the load (other agreements), rebuilt when the worker is killed. */
const HISTORY_EVENTS = atScale({ ci: 20_000, full: 200_000 });
const POSTGRES_DOWN_MS = atScale({ ci: 4_000, full: 15_000 });

describe('load with faults: Redis, PostgreSQL, the worker and the API go away and come back', () => {
  let service: Service;

  /** PostgreSQL as the service sees a restart: every connection dropped, new ones refused. */
  const postgresDown = async (ms: number) => {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const database = `"${service.db.name}"`;
    try {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [service.db.name],
      );
      await sleep(ms);
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  };

  const killWorkerMidRebuild = async () => {
    const { jobId } = await service.admin<{ jobId: string }>(
      'POST',
      '/v1/admin/projections/violations/rebuild',
    );
    await until(
      'the rebuild runs',
      async () => {
        const job = await service.admin<{ state: string; progress?: { eventsRead?: number } }>(
          'GET',
          `/v1/admin/jobs/${jobId}`,
        );
        return job.state === 'active' && (job.progress?.eventsRead ?? 0) > 0;
      },
      120_000,
    );
  };

  beforeAll(async () => {
    service = await Service.start('faults');
    // History for the rebuild to chew on, so that the kill lands mid-rebuild.
    await generateEvents(service.db, HISTORY_EVENTS, { writers: 2, agreements: 2, log: () => {} });
    await service.converged();
  }, 300_000);
  afterAll(() => service?.stop());

  it(
    'loses nothing, answers 503 (never 500, never a hang) during faults, and converges',
    async () => {
      const load = service.startLoad(RATE);
      const lostAfter: Record<string, number> = {};
      const phase = async (name: string, fault: () => Promise<void>) => {
        service.phase = name;
        await fault();
        service.phase = 'steady';
        await sleep(STEADY_MS);
        // After each fault: every write acknowledged so far is in the feed exactly once.
        const lost = await lostWrites(service.db, service.answers);
        lostAfter[name] = (lostAfter[name] ?? 0) + lost.missing.length + lost.duplicated;
      };
      try {
        await sleep(STEADY_MS);
        await phase('redis-down', async () => {
          await service.redis.stop();
          await sleep(REDIS_DOWN_MS);
          await service.redis.start();
        });
        await phase('postgres-down', async () => {
          await postgresDown(POSTGRES_DOWN_MS);
          await sleep(1_000); // the pools reconnect on their next request
        });
        for (let kill = 1; kill <= 3; kill++) {
          await phase('worker-killed', async () => {
            if (kill === 2) await killWorkerMidRebuild();
            await service.worker.stop('SIGKILL');
            await sleep(1_000);
            await service.worker.start();
          });
        }
        await phase('api-killed', async () => {
          await service.api.stop('SIGKILL');
          await sleep(1_000);
          await service.api.start();
        });
      } finally {
        await load.stop();
      }
      // Every projection live and caught up, including the rebuild the kill interrupted.
      await service.converged();

      const answers = service.answers;
      console.log(`faults run: ${answers.length} requests at ${RATE}/s`, tally(answers));
      // Never a 5xx other than 503, never a hang, and 503 only while a fault lasts.
      expect(
        tally(answers, (a) => typeof a.status === 'number' && a.status >= 500 && a.status !== 503),
      ).toEqual({});
      expect(tally(answers, (a) => a.status === 'timeout')).toEqual({});
      expect(tally(answers, (a) => a.status === 503 && a.phase === 'steady')).toEqual({});
      expect(answers.filter((a) => a.status === 503).every((a) => a.code === 'UNAVAILABLE')).toBe(
        true,
      );
      // Refused or cut off only while the API was down (a request in flight when it was killed
      // ends in that phase); every other answer is a contract answer.
      expect(
        answers.filter(
          (a) =>
            (a.status === 'refused' || a.status === 'error') &&
            a.phase !== 'api-killed' &&
            a.endedIn !== 'api-killed',
        ),
      ).toEqual([]);
      // Writes during a Redis outage still succeed (the wake-up is only a hint).
      const redisWrites = answers.filter((a) => a.phase === 'redis-down' && a.kind !== 'read');
      expect(redisWrites.length).toBeGreaterThan(0);
      expect(redisWrites.every((a) => a.status === 200 || a.status === 201)).toBe(true);

      expect(lostAfter).toEqual({
        'redis-down': 0,
        'postgres-down': 0,
        'worker-killed': 0,
        'api-killed': 0,
      });
      const lost = await lostWrites(service.db, answers);
      expect(lost.acknowledged).toBeGreaterThan(RATE);
      expect(lost.missing).toEqual([]);
      expect(lost.duplicated).toBe(0);
      expect((await compareReadModel(service.db)).differences).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
