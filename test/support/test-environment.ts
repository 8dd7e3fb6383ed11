// Where tests put their databases and Redis keys: one run id per `jest` invocation, a template
// database migrated once per run, a database per test file cloned from it.
import { withDatabase } from '../../libs/shared/src';

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL =
  process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function runId(): string {
  const id = process.env.CEASEFIRE_TEST_RUN;
  if (!id) throw new Error('CEASEFIRE_TEST_RUN is not set: run tests through jest (global setup)');
  return id;
}

export function templateDatabaseName(id = runId()): string {
  return `ceasefire_test_${id}_tpl`;
}

export function databaseUrl(name: string): string {
  // The guard of domain-driven-hexagon: never let a test touch a database not named for tests.
  if (!name.includes('test'))
    throw new Error(`refusing to use database "${name}": its name lacks "test"`);
  return withDatabase(ADMIN_URL, name);
}

/**
 * The run's service role, granted on the template like the service's role in production, so every
 * test database has it (roles belong to the server: the run id keeps parallel runs apart).
 */
export function serviceRoleName(id = runId()): string {
  return `ceasefire_test_${id}_app`;
}

/**
 * A test database as the run's service role sees it. The password, if TEST_DATABASE_URL has one,
 * is the one the role is created with.
 */
export function serviceDatabaseUrl(name: string): string {
  const url = new URL(databaseUrl(name));
  url.username = serviceRoleName();
  return url.toString();
}

export function queuePrefix(id = runId()): string {
  return `ceasefire_test_${id}`;
}
