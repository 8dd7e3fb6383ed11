// What the load and fault suites share: the service as real processes on a test database and a
// private Redis, a mixed load at a fixed arrival rate (reports, sources on acknowledged reports,
// progress, compliance and list reads), and the checks that nothing acknowledged was lost and that
// the read model is what the events say.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { EventStore } from '../../libs/event-store/src';
import { compareProjections, ProjectionComparison } from '../../libs/projections/src';
import { october2025Agreement } from '../support/api-harness';
import { freePort, PrivateRedis } from '../support/private-redis';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { queuePrefix } from '../support/test-environment';
import { AppProcess } from './app-processes';

export const AGREEMENT = 'load';
/** A request with no answer within this is a hang. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface Answer {
  kind: 'report' | 'source' | 'progress' | 'read';
  /** What was going on when the request was sent (the fault suites label their phases). */
  phase: string;
  /** ... and when its answer (or failure) came. */
  endedIn: string;
  /** HTTP status, or 'refused' (nothing listening), 'timeout', or 'error' (anything else). */
  status: number | 'refused' | 'timeout' | 'error';
  code?: string;
  body?: { id?: string; streamId?: string; streamVersion?: number };
  ms: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const started = Date.now();
  while (!(await probe().catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The API and the worker as processes, one agreement with a rate obligation, keys per role. */
export class Service {
  readonly answers: Answer[] = [];
  phase = 'steady';
  private readonly keys: Record<string, string> = {};

  private constructor(
    private readonly adminKey: string,
    readonly db: TestDatabase,
    readonly redis: PrivateRedis,
    readonly api: AppProcess,
    readonly worker: AppProcess,
    readonly base: string,
  ) {}

  static async start(name: string): Promise<Service> {
    const db = await createTestDatabase(4);
    const redis = await PrivateRedis.start();
    const port = await freePort();
    const shared = {
      DATABASE_URL: db.serviceUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `${queuePrefix()}-${name}`,
    };
    const adminKey = `${name}-admin-${randomUUID()}`;
    const service = new Service(
      adminKey,
      db,
      redis,
      new AppProcess('api', {
        ...shared,
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: adminKey,
        RATE_LIMIT_PER_MINUTE: '0',
        DATABASE_POOL_SIZE: '10',
      }),
      new AppProcess('worker', { ...shared, REBUILD_BATCH_SIZE: '100' }),
      `http://127.0.0.1:${port}`,
    );
    await service.setUp();
    return service;
  }

  private async setUp(): Promise<void> {
    await Promise.all([this.api.start(), this.worker.start()]);
    this.keys.admin = this.adminKey;
    for (const role of ['reader', 'monitor', 'coordinator']) {
      const res = await this.fetch('POST', '/v1/admin/api-keys', 'admin', {
        name: `load ${role}`,
        role,
      });
      this.keys[role] = ((await res.json()) as { key: string }).key;
    }
    const agreement = await this.fetch(
      'POST',
      '/v1/agreements',
      'coordinator',
      october2025Agreement(AGREEMENT),
    );
    const obligation = await this.fetch(
      'POST',
      `/v1/agreements/${AGREEMENT}/obligations`,
      'coordinator',
      {
        id: 'trucks',
        phaseKey: 'phase-1',
        kind: 'aid_access',
        title: 'At least 600 aid trucks a day',
        responsiblePartyId: 'israel',
        dueAt: '2025-10-10T09:00:00Z',
        target: { quantity: 600, unit: 'trucks', per: 'day' },
      },
    );
    if (agreement.status !== 201 || obligation.status !== 201) {
      throw new Error(`set-up failed: ${agreement.status}, ${obligation.status}`);
    }
  }

  /**
   * One HTTP request on a fresh connection (no keep-alive: a reused socket that the server closed
   * at the same instant would look like a service failure); rejects on a network error or after
   * REQUEST_TIMEOUT_MS.
   */
  fetch(
    method: 'GET' | 'POST',
    path: string,
    role: string,
    body?: object,
  ): Promise<{ status: number; json: () => Promise<unknown> }> {
    const payload = body ? JSON.stringify(body) : undefined;
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.base}${path}`,
        {
          method,
          agent: false,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            authorization: `Bearer ${this.keys[role]}`,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) as unknown });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** One request of the load, recorded with the phase it was sent in. */
  async call(
    kind: Answer['kind'],
    method: 'GET' | 'POST',
    path: string,
    role: string,
    body?: object,
  ) {
    const phase = this.phase;
    const started = performance.now();
    let answer: Answer;
    try {
      const res = await this.fetch(method, path, role, body);
      const json = (await res.json().catch(() => ({}))) as Answer['body'] & { code?: string };
      answer = {
        kind,
        phase,
        endedIn: phase,
        status: res.status,
        code: json?.code,
        body: json,
        ms: 0,
      };
    } catch (err) {
      const e = err as Error & { code?: string; errors?: Array<{ code?: string }> };
      // Node tries every address of localhost: a refusal may come as an AggregateError.
      const refused = [e, ...(e.errors ?? [])].some((x) => x.code === 'ECONNREFUSED');
      const status = e.name === 'TimeoutError' ? 'timeout' : refused ? 'refused' : 'error';
      answer = { kind, phase, endedIn: phase, status, code: e.code ?? e.message, ms: 0 };
    }
    answer.ms = performance.now() - started;
    answer.endedIn = this.phase;
    this.answers.push(answer);
    return answer;
  }

  /**
   * The mixed load at `rate` requests a second (a fixed arrival rate: each request is sent at its
   * slot whatever the previous ones did; with `maxInFlight`, never more than that at once): half
   * reports, and sources, progress and reads.
   */
  startLoad(rate: number, maxInFlight = Infinity): { stop: () => Promise<void> } {
    let running = true;
    const acknowledged: string[] = [];
    const inFlight = new Set<Promise<unknown>>();
    const run = `${Date.now().toString(36)}`;
    const done = (async () => {
      const started = Date.now();
      for (let i = 1; running; i++) {
        // With a cap on requests in flight, this is a closed loop (the maximum's probe).
        while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        const request = this.next(i, run, acknowledged);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        await sleep(Math.max(0, started + (i * 1000) / rate - Date.now()));
      }
      await Promise.all(inFlight);
    })();
    return {
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  private next(i: number, run: string, acknowledged: string[]): Promise<unknown> {
    const roll = i % 10;
    if (roll < 5) {
      const id = `r-${run}-${i}`;
      return this.call('report', 'POST', '/v1/violations', 'monitor', {
        id,
        agreementId: AGREEMENT,
        occurredAt: '2025-10-20T12:00:00Z',
        location: { name: 'Gaza City', lat: 31.5, lon: 34.46, precision: 'approximate' },
        category: 'shelling',
        allegedPartyId: i % 2 ? 'israel' : 'hamas',
        description: `Shelling reported (load ${i})`,
        casualties: { killed: i % 3, injured: i % 5 },
        sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
      }).then((a) => {
        if (typeof a.status === 'number' && a.status < 300) acknowledged.push(id);
      });
    }
    if (roll < 6 && acknowledged.length > 0) {
      const id = acknowledged[i % acknowledged.length];
      return this.call('source', 'POST', `/v1/violations/${id}/sources`, 'monitor', {
        name: `Source ${i}`,
        kind: i % 2 ? 'media' : 'ngo',
      });
    }
    if (roll < 7) {
      return this.call('progress', 'POST', '/v1/obligations/trucks/progress', 'monitor', {
        quantity: 10,
        occurredAt: '2025-10-12T10:00:00Z',
        source: 'UN2720',
      });
    }
    if (roll < 9)
      return this.call('read', 'GET', `/v1/agreements/${AGREEMENT}/compliance`, 'reader');
    return this.call('read', 'GET', `/v1/violations?agreementId=${AGREEMENT}&limit=20`, 'reader');
  }

  /** Admin calls outside the load. */
  async admin<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    return (await (await this.fetch(method, path, 'admin')).json()) as T;
  }

  /** Waits until every projection is live and has applied every committed event. */
  async converged(timeoutMs = 180_000): Promise<void> {
    await until(
      'projections converge',
      async () => {
        const { items } = await this.admin<{ items: Array<{ lagEvents: number; state: string }> }>(
          'GET',
          '/v1/admin/projections',
        );
        return items.every((p) => p.lagEvents === 0 && p.state === 'live');
      },
      timeoutMs,
    );
  }

  /** The API process's resident memory in MB (Linux /proc), or null. */
  apiRssMb(): number | null {
    const pid = this.api.pid;
    if (!pid) return null;
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  }

  async stop(): Promise<void> {
    await this.api.stop('SIGKILL');
    await this.worker.stop('SIGKILL');
    await this.redis.stop();
    await this.db.drop();
  }
}

/** Counts of answers by `phase kind status`, for the answers `filter` keeps. */
export function tally(answers: readonly Answer[], filter: (a: Answer) => boolean = () => true) {
  return answers.filter(filter).reduce<Record<string, number>>((acc, a) => {
    const key = `${a.phase} ${a.kind} ${a.status}`;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});
}

/**
 * The acknowledged writes missing from the feed (each must be there exactly once, at the stream
 * version its answer gave), and whether any stream version appears twice.
 */
export async function lostWrites(
  db: TestDatabase,
  answers: readonly Answer[],
): Promise<{ acknowledged: number; missing: Answer[]; duplicated: number }> {
  const acked = answers.filter(
    (a) => a.kind !== 'read' && typeof a.status === 'number' && a.status < 300,
  );
  const store = new EventStore(db.pool);
  const seen = new Map<string, number>();
  let cursor: string | undefined;
  for (;;) {
    const page = await store.readFeed(cursor, 1000);
    for (const e of page.items) {
      const key = `${e.streamId}@${e.streamVersion}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    if (page.items.length < 1000) break;
    cursor = page.nextCursor;
  }
  return {
    acknowledged: acked.length,
    missing: acked.filter((a) => seen.get(`${a.body?.streamId}@${a.body?.streamVersion}`) !== 1),
    duplicated: [...seen.values()].filter((n) => n !== 1).length,
  };
}

export function compareReadModel(db: TestDatabase): Promise<ProjectionComparison> {
  return compareProjections(db.pool);
}
