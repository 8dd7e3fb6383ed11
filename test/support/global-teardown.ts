// Global setup runs outside Jest's module mapper: resolve the path aliases here.
import 'tsconfig-paths/register';
import { runId } from './test-environment';
import { dropRun } from './test-runs';

/** Drops every database, role and Redis key this run made (idempotent: both projects call it). */
export default async function globalTeardown(): Promise<void> {
  await dropRun(runId());
}
