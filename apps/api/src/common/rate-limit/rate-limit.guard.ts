// Requests per minute per API key, or per client IP for requests without a valid key (which
// slows down guessing keys), over every route but the public ones (health, metrics, docs). Runs
// before the AuthGuard so that refused keys are counted too; the key is looked up once for both.
// Over the limit: 429 RATE_LIMITED with Retry-After (seconds), set by ThrottlerGuard itself.
import { ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@app/shared';
import { ApiError } from '../api-error';
import { ApiKeysService } from '../auth/api-keys.service';
import { actorOf } from '../auth/request-actor';
import { PUBLIC_KEY } from '../auth/roles';

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly off: boolean;
  private readonly keyPrefix: string;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly keys: ApiKeysService,
    config: ConfigService<AppConfig, true>,
  ) {
    super(options, storage, reflector);
    this.off = config.get('RATE_LIMIT_PER_MINUTE', { infer: true }) === 0;
    // Per deployment (and per test run): QUEUE_PREFIX already names one.
    this.keyPrefix = `${config.get('QUEUE_PREFIX', { infer: true })}:rate-limit`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (this.off) return true;
    const targets = [context.getHandler(), context.getClass()];
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as FastifyRequest;
    const actor = await actorOf(request, this.keys);
    return actor ? `key:${actor.keyId}` : `ip:${normalizeIp(request.ip, this.ipv6SubnetPrefix)}`;
  }

  /** One count per key over all routes (ThrottlerGuard's default counts per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return `${this.keyPrefix}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const who = detail.tracker.startsWith('key:') ? 'this API key' : 'this address without a key';
    throw new ApiError(
      'RATE_LIMITED',
      `more than ${detail.limit} requests a minute from ${who}: retry after ${detail.timeToBlockExpire} s`,
    );
  }
}
