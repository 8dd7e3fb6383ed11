// The connections both apps use: the PostgreSQL pool, the event store over it, and Redis for
// BullMQ. Closed when the app shuts down.
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { EventStore } from '@app/event-store';
import { AppConfig, validateConfig } from '../config';
import { createPool } from '../database';
import { PG_POOL, REDIS } from './tokens';

export const config = (c: ConfigService) => c as unknown as ConfigService<AppConfig, true>;

@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  /**
   * Reads and validates the configuration when called (not when this file is imported), so each
   * app instance, including those a test creates, gets the environment of its own creation.
   */
  static forRoot(): DynamicModule {
    return {
      module: InfrastructureModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          validate: validateConfig,
          ignoreEnvFile: true,
          skipProcessEnv: true,
        }),
      ],
      providers: [
        {
          provide: PG_POOL,
          inject: [ConfigService],
          useFactory: (c: ConfigService) =>
            createPool(config(c).get('DATABASE_URL'), {
              max: config(c).get('DATABASE_POOL_SIZE'),
              idleInTransactionTimeoutMs: config(c).get('IDLE_IN_TRANSACTION_TIMEOUT_MS'),
            }),
        },
        {
          provide: REDIS,
          inject: [ConfigService],
          useFactory: (c: ConfigService) => {
            // BullMQ needs maxRetriesPerRequest: null; with Redis down, commands wait for it to return.
            const redis = new Redis(config(c).get('REDIS_URL'), { maxRetriesPerRequest: null });
            redis.on('error', () => undefined);
            return redis;
          },
        },
        {
          provide: EventStore,
          inject: [PG_POOL],
          useFactory: (pool: Pool) => new EventStore(pool),
        },
      ],
      exports: [PG_POOL, REDIS, EventStore],
    };
  }

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    // quit() would wait for a Redis that is not there; disconnect() does not.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
