// closeQueue against a real Redis and against a port where none listens: a queue whose shared
// connection never became ready must not leave an unhandled rejection behind when the client ends
// in the middle of a reconnect (taskforcesh/bullmq#3546; Jest fails the test if one surfaces).
import { once } from 'node:events';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { freePort } from '../../../../test/support/private-redis';
import { queuePrefix, TEST_REDIS_URL } from '../../../../test/support/test-environment';
import { closeQueue } from './close-queue';

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('closeQueue', () => {
  it('closes a queue whose connection is ready', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('close-queue', { connection: redis, prefix: queuePrefix() });
    try {
      await queue.waitUntilReady();
      await closeQueue(queue);
      expect(queue.closing).toBeDefined();
    } finally {
      redis.disconnect();
    }
  });

  it('leaves no unhandled rejection when the connection ends during a reconnect', async () => {
    for (let round = 0; round < 5; round++) {
      const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => 10,
      });
      const errors: string[] = [];
      redis.on('error', () => undefined);
      const queue = new Queue('close-queue', { connection: redis, prefix: queuePrefix() });
      queue.on('error', (err) => errors.push(err.message));
      // The queue's wait for readiness has seen a connection error; the client tries again.
      await once(redis, 'error');
      await once(redis, 'connecting');
      expect(redis.status).toBe('connecting');

      await closeQueue(queue);
      redis.disconnect();
      await settle();

      expect(queue.closing).toBeUndefined();
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((message) => message.includes('ECONNREFUSED'))).toBe(true);
    }
  });
});
