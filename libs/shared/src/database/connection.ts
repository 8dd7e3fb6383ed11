import { Pool, PoolConfig } from 'pg';

export interface DatabaseAddress {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function describeDatabaseUrl(url: string): DatabaseAddress {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    user: decodeURIComponent(u.username || 'postgres'),
  };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface PoolOptions {
  max?: number;
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
}

/**
 * A pg pool with the guards the feed needs: a forgotten open transaction would hold every feed
 * reader back, so the server ends sessions idle in a transaction after a bound.
 */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max: options.max ?? 20,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 30000,
    application_name: options.applicationName ?? 'ceasefire-ledger',
    connectionTimeoutMillis: 10000,
  };
  const pool = new Pool(config);
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor a checked-out one: pg-pool takes its listener off the clients it hands out, so a
  // connection lost while its holder waits between two queries (a PostgreSQL restart) would be an
  // 'error' event nobody hears. This listener stays on every client: the next query on it fails,
  // and release() destroys it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
