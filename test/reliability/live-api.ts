// The API listening on a real port (the reliability suites speak raw HTTP to it), and a second
// API process-alike on the same database and Redis (to show that they share what they should).
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiHarness, startApi } from '../support/api-harness';
import { queuePrefix, TEST_REDIS_URL } from '../support/test-environment';
import { Answer, Outgoing, send, sendRaw } from './http-client';

export interface LiveApi extends ApiHarness {
  port: number;
  /** The QUEUE_PREFIX of this API (and so of its rate-limit counts). */
  prefix: string;
  send: (out: Outgoing) => Promise<Answer>;
  sendRaw: (head: string, body?: string | Buffer) => Promise<Answer>;
}

async function listen(app: NestFastifyApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

/** `name` keeps the Redis keys of this suite apart from other suites of the same run. */
export async function startLiveApi(
  name: string,
  env: Record<string, string> = {},
): Promise<LiveApi> {
  const prefix = `${queuePrefix()}-${name}`;
  const api = await startApi({ QUEUE_PREFIX: prefix, ...env });
  const port = await listen(api.app);
  return {
    ...api,
    port,
    prefix,
    send: (out) => send(port, out),
    sendRaw: (head, body) => sendRaw(port, head, body),
  };
}

/** Another API on the database and Redis prefix of `first`, as a second process would be. */
export async function startAnotherApi(
  first: LiveApi,
  env: Record<string, string> = {},
): Promise<{ port: number; close: () => Promise<void> }> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: first.db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: first.prefix,
    DATABASE_POOL_SIZE: '5',
    ...env,
  });
  try {
    const { createApp } = await import('../../apps/api/src/create-app');
    const app = await createApp({ logger: false });
    const port = await listen(app);
    return { port, close: () => app.close() };
  } finally {
    process.env = saved;
  }
}
