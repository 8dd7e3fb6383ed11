// No Docker engine runs where the tests run, so docker/compose.yml and docker/Dockerfile are
// checked as files: every service with its health check and ordering, the volumes, each app's
// environment as the apps' own configuration validates it, and the image's stages and user.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { AppConfig, validateConfig } from '@app/shared/config';

const DOCKER = __dirname;
const ROOT = resolve(DOCKER, '..');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
}

// Compose merges `<<: *anchor` keys; so must the parser.
const compose = parse(readFileSync(join(DOCKER, 'compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { services } = compose;
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;
const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');

/** `${NAME:-default}` as Compose expands it when NAME is not set. */
const interpolate = (value: string) => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');
const environmentOf = (service: string) =>
  Object.fromEntries(
    Object.entries(services[service].environment ?? {}).map(([k, v]) => [
      k,
      interpolate(String(v)),
    ]),
  );

describe('docker/compose.yml', () => {
  it('runs postgres, redis, the api and the worker, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: service.healthcheck?.test?.[0] }).toEqual({
        name,
        test: expect.stringMatching(/^CMD(-SHELL)?$/),
      });
      expect(service.healthcheck?.retries).toBeGreaterThan(0);
    }
    expect(services.postgres.image).toMatch(/^postgres:15/);
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.api.healthcheck?.test.join(' ')).toContain('/health/ready');
    // The worker's check loads a file of the build: its source must exist.
    const workerCheck = services.worker.healthcheck?.test.join(' ') ?? '';
    const compiled = /dist\/(libs\/[\w/-]+)\.js/.exec(workerCheck);
    expect(compiled).not.toBeNull();
    expect(existsSync(join(ROOT, `${compiled?.[1]}.ts`))).toBe(true);
  });

  it('starts each app once what it needs is healthy, the worker after the migrating api', () => {
    const healthy = { condition: 'service_healthy' };
    expect(services.api.depends_on).toEqual({ postgres: healthy, redis: healthy });
    expect(services.worker.depends_on).toEqual({ postgres: healthy, redis: healthy, api: healthy });
  });

  it('keeps the data in declared named volumes', () => {
    expect(services.postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(services.redis.volumes).toEqual(['redisdata:/data']);
    const used = Object.values(services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(':')[0]),
    );
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([...new Set(used)].sort());
  });

  it('builds both apps from the Dockerfile and starts them as package.json does', () => {
    for (const app of ['api', 'worker']) {
      const build = services[app].build;
      expect(build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(existsSync(resolve(DOCKER, build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
      expect(services[app].command?.join(' ')).toBe(scripts[`start:${app}`]);
    }
  });

  it('gives each app a configuration its own validation accepts, pointing at the services', () => {
    const postgres = services.postgres.environment ?? {};
    const password = interpolate(postgres.POSTGRES_PASSWORD);
    const configs: Record<string, AppConfig> = {};
    for (const app of ['api', 'worker']) {
      const env = environmentOf(app);
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'MIGRATIONS_RUN']),
      );
      configs[app] = validateConfig(env);
      // Both apps connect as the service's role, which may not change the ledger.
      const db = new URL(configs[app].DATABASE_URL);
      expect([db.hostname, db.port, db.username, db.pathname]).toEqual([
        'postgres',
        '5432',
        'ceasefire_app',
        `/${postgres.POSTGRES_DB}`,
      ]);
      expect(db.password).not.toBe('');
      expect(new URL(configs[app].REDIS_URL).hostname).toBe('redis');
    }
    // Only the migrating api holds the owner's connection; it creates the service's role.
    const owner = new URL(environmentOf('api').MIGRATIONS_DATABASE_URL);
    expect([owner.hostname, owner.port, owner.username, owner.password, owner.pathname]).toEqual([
      'postgres',
      '5432',
      postgres.POSTGRES_USER,
      password,
      `/${postgres.POSTGRES_DB}`,
    ]);
    expect(environmentOf('worker').MIGRATIONS_DATABASE_URL).toBeUndefined();
    expect(configs.worker.QUEUE_PREFIX).toBe(configs.api.QUEUE_PREFIX);
    // The migrations run once: in the api, which the worker waits for.
    expect([configs.api.MIGRATIONS_RUN, configs.worker.MIGRATIONS_RUN]).toEqual([true, false]);
    expect(configs.api.ADMIN_API_KEY?.length).toBeGreaterThanOrEqual(16);
    expect(configs.api.HOST).toBe('0.0.0.0');
    expect(services.api.ports).toEqual([`3000:${configs.api.PORT}`]);
    expect(services.api.healthcheck?.test.join(' ')).toContain(
      `http://127.0.0.1:${configs.api.PORT}/health/ready`,
    );
  });
});

describe('docker/Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const [build, runtime] = stages;

  it('builds with dev dependencies in one stage and runs with production ones in another', () => {
    expect(stages).toHaveLength(2);
    expect(build).toMatch(/^node:\S+ AS build\n/);
    expect(build).toMatch(/^RUN npm ci\b/m);
    expect(build).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^node:\S+ AS runtime\n/);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).not.toMatch(/^COPY (apps|libs|migrations)\b/m);
  });

  it('runs as a non-root user, the api by default', () => {
    const user = /^USER (\S+)$/m.exec(runtime);
    expect(user?.[1]).toBe('node');
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD'));
    expect(runtime.indexOf('USER node')).toBeGreaterThan(runtime.indexOf('npm ci --omit=dev'));
    const cmd = /^CMD (\[.*\])$/m.exec(runtime);
    expect((JSON.parse(cmd?.[1] ?? '[]') as string[]).join(' ')).toBe(scripts['start:api']);
  });
});
