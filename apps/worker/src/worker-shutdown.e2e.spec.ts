// The worker told to stop during a Redis outage stops at once. A graceful BullMQ close waits for
// Redis to come back (the QUIT of each worker's blocking connection queues until then), so every
// processor's shutdown hung and the process lasted until the supervisor killed it 30 s later.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Redis from 'ioredis';
import { REDIS } from '@app/shared';
import { PrivateRedis } from '../../../test/support/private-redis';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { queuePrefix } from '../../../test/support/test-environment';
import { WorkerModule } from './worker.module';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('worker shutdown', () => {
  let redis: PrivateRedis;
  let db: TestDatabase;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    db = await createTestDatabase(10);
  });
  afterAll(async () => {
    await redis.stop();
    await db.drop();
  });

  it('stops at once while Redis is down, instead of waiting for it to come back', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `${queuePrefix()}_shutdown`,
    });
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(
      WorkerModule.register(),
      { logger: false },
    );
    process.env = saved;
    const connection = worker.get<Redis>(REDIS);
    expect(connection.status).toBe('ready');

    await redis.stop();
    while (connection.status === 'ready') await sleep(10);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      worker.close().then(() => 'closed'),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('still closing after 10 s'), 10_000);
      }),
    ]);
    // The losing timer would keep Jest's process alive for 10 s after the run.
    clearTimeout(timer);
    expect(outcome).toBe('closed');
  });
});
