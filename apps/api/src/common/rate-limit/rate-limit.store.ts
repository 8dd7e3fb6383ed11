// Where the rate limiter counts: Redis, through @nest-lab/throttler-storage-redis (one atomic Lua
// script per request), so that every API process of a deployment shares each key's count.
// The limiter protects the service; it must not become a way to take it down. Its connection
// fails fast (no offline queue, a short command timeout) and any Redis failure lets the request
// through: with Redis away, writes keep working as they do without projections' wake-ups.
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { AppConfig } from '@app/shared';

const COMMAND_TIMEOUT_MS = 250;
const WARN_EVERY_MS = 60_000;

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const NOT_COUNTED: StorageRecord = {
  totalHits: 0,
  timeToExpire: 0,
  isBlocked: false,
  timeToBlockExpire: 0,
};

@Injectable()
export class RateLimitStore implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis | null;
  private readonly counter: ThrottlerStorageRedisService | null;
  private lastWarning = 0;

  constructor(config: ConfigService<AppConfig, true>) {
    if (config.get('RATE_LIMIT_PER_MINUTE', { infer: true }) === 0) {
      this.redis = null;
      this.counter = null;
      return;
    }
    this.redis = new Redis(config.get('REDIS_URL', { infer: true }), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    this.redis.on('error', () => undefined);
    this.counter = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<StorageRecord> {
    if (!this.counter) return NOT_COUNTED;
    try {
      return await this.counter.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (err) {
      const now = Date.now();
      if (now - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = now;
        this.logger.warn(`requests are not rate limited: Redis (${(err as Error).message})`);
      }
      return NOT_COUNTED;
    }
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
