import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { PG_POOL, REDIS } from '@app/shared';

const TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class DependencyHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async postgres() {
    const indicator = this.health.check('postgres');
    try {
      await withTimeout(this.pool.query('SELECT 1'), 'PostgreSQL');
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message || 'unreachable' });
    }
  }

  async redisPing() {
    const indicator = this.health.check('redis');
    // While reconnecting, commands queue up: answer at once instead of waiting for the timeout.
    if (!['ready', 'connect', 'connecting'].includes(this.redis.status)) {
      return indicator.down({ message: `connection ${this.redis.status}` });
    }
    try {
      await withTimeout(this.redis.ping(), 'Redis');
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message || 'unreachable' });
    }
  }
}
