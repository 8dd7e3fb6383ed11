// Steady load: the closed-loop maximum of the mixed load is measured first, then the mixed load
// runs at 70% of it at a fixed arrival rate against the API and the worker as real processes.
// Zero 5xx, zero lost writes, projections converge to what the events say, and the API's memory
// stays flat.
import { compareReadModel, lostWrites, Service, sleep, tally } from './mixed-load';
import { atScale } from './scale';

/** Processes start with ts-node and the load runs for minutes: well past Jest's default. */
const TEST_TIMEOUT_MS = atScale({ ci: 600_000, full: 1_800_000 });

const MAX_PROBE_MS = atScale({ ci: 5_000, full: 20_000 });
const LOAD_MS = atScale({ ci: 20_000, full: 600_000 });
const PROBE_CONNECTIONS = 16;

describe('steady load at 70% of the measured maximum', () => {
  let service: Service;

  beforeAll(async () => {
    service = await Service.start('load');
  }, 300_000);
  afterAll(() => service?.stop());

  it(
    'answers everything, loses nothing, converges, and keeps its memory flat',
    async () => {
      // The maximum: PROBE_CONNECTIONS loops sending the mixed load back to back.
      service.phase = 'probe';
      const probe = service.startLoad(10_000, PROBE_CONNECTIONS);
      await sleep(MAX_PROBE_MS);
      await probe.stop();
      const probed = service.answers.filter((a) => a.phase === 'probe').length;
      const max = (probed / MAX_PROBE_MS) * 1000;
      const rate = Math.max(5, Math.floor(max * 0.7));

      service.phase = 'load';
      const rss: number[] = [];
      const sampler = setInterval(() => {
        const mb = service.apiRssMb();
        if (mb !== null) rss.push(mb);
      }, 1000);
      const load = service.startLoad(rate);
      try {
        await sleep(LOAD_MS);
      } finally {
        await load.stop();
        clearInterval(sampler);
      }
      await service.converged();

      const answers = service.answers.filter((a) => a.phase === 'load');
      const latencies = answers.map((a) => a.ms).sort((x, y) => x - y);
      const quarter = Math.max(1, Math.floor(rss.length / 4));
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      const [first, last] = [median(rss.slice(0, quarter)), median(rss.slice(-quarter))];
      console.log(
        `load: max ${max.toFixed(0)}/s, ran ${answers.length} requests at ${rate}/s for ${LOAD_MS / 1000} s; ` +
          `p50 ${latencies[Math.floor(latencies.length * 0.5)]?.toFixed(0)} ms, ` +
          `p99 ${latencies[Math.floor(latencies.length * 0.99)]?.toFixed(0)} ms; ` +
          `API RSS first quarter ${first?.toFixed(0)} MB, last quarter ${last?.toFixed(0)} MB`,
        tally(answers),
      );
      expect(tally(answers, (a) => typeof a.status !== 'number' || a.status >= 500)).toEqual({});
      const lost = await lostWrites(service.db, answers);
      expect(lost.missing).toEqual([]);
      expect(lost.duplicated).toBe(0);
      expect((await compareReadModel(service.db)).differences).toEqual([]);
      // Flat (issue 8): the last quarter within 20% of the first (the probe ran the warm-up). The
      // absolute goal, RSS <= 300 MB, is measured on the compiled build by bench:http-append.
      expect(last).toBeLessThanOrEqual(first * 1.2);
    },
    TEST_TIMEOUT_MS,
  );
});
