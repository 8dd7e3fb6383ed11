// Start-up checks that turn "connection refused" into a message saying which dependency, where,
// and how to start one.
import { Client } from 'pg';
import Redis from 'ioredis';
import { describeDatabaseUrl, withDatabase } from './connection';

export class DependencyUnavailable extends Error {
  constructor(
    readonly dependency: 'postgres' | 'redis',
    message: string,
  ) {
    super(message);
    this.name = 'DependencyUnavailable';
  }
}

export async function checkPostgres(url: string, timeoutMs = 5000): Promise<void> {
  const { host, port, user } = describeDatabaseUrl(url);
  const client = new Client({
    connectionString: withDatabase(url, 'postgres'),
    connectionTimeoutMillis: timeoutMs,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    // Class 28: the server answered but refused the role (missing, or a wrong password).
    if ((err as { code?: string }).code?.startsWith('28')) {
      throw new DependencyUnavailable(
        'postgres',
        `PostgreSQL at ${host}:${port} refused user "${user}" (${(err as Error).message}).\n` +
          `Check the URL's user and password. The service's role (DATABASE_URL) is created by a ` +
          `start-up that runs the migrations (MIGRATIONS_RUN=true, as npm start does) as the ` +
          `owner in MIGRATIONS_DATABASE_URL; see "Database roles" in the README.`,
      );
    }
    throw new DependencyUnavailable(
      'postgres',
      `PostgreSQL is not reachable at ${host}:${port} as user "${user}" (${reason(err)}).\n` +
        `Start one (for example: docker compose -f docker/compose.yml up -d postgres, or your ` +
        `system's PostgreSQL service), or point DATABASE_URL at a running server.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string, timeoutMs = 5000): Promise<void> {
  const u = new URL(url);
  const where = `${u.hostname || '127.0.0.1'}:${u.port || 6379}`;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  redis.on('error', (err) => (lastError = err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new DependencyUnavailable(
      'redis',
      `Redis is not reachable at ${where} (${reason(lastError ?? err)}).\n` +
        `Start one (for example: docker compose -f docker/compose.yml up -d redis, or ` +
        `redis-server --port ${u.port || 6379}), or point REDIS_URL at a running server.`,
    );
  } finally {
    redis.disconnect();
  }
}

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reason(err.errors[0]);
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}
