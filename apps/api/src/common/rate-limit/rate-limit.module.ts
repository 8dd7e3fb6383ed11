// The options and the Redis store the RateLimitGuard is built from (app.module.ts registers the
// guard itself, before the AuthGuard).
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getOptionsToken, getStorageToken, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '@app/shared';
import { RateLimitStore } from './rate-limit.store';

const MINUTE_MS = 60_000;

@Module({
  providers: [
    RateLimitStore,
    { provide: getStorageToken(), useExisting: RateLimitStore },
    {
      provide: getOptionsToken(),
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): ThrottlerModuleOptions => ({
        // With the limit off the guard skips every request; ThrottlerGuard still wants a throttler.
        throttlers: [
          {
            ttl: MINUTE_MS,
            limit: Math.max(1, config.get('RATE_LIMIT_PER_MINUTE', { infer: true })),
          },
        ],
      }),
    },
  ],
  exports: [getStorageToken(), getOptionsToken()],
})
export class RateLimitModule {}
