import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ActorRole } from '@app/domain';
import { ApiError } from '../api-error';
import { ApiKeysService } from './api-keys.service';
import { actorOf, bearerSecret } from './request-actor';
import { PUBLIC_KEY, roleAllows, ROLES_KEY } from './roles';

/** Every route needs a key unless marked @Public(); routes without @Roles are admin-only. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (bearerSecret(request.headers.authorization) === null)
      throw new ApiError('UNAUTHENTICATED', 'an API key is required: Authorization: Bearer <key>');
    const actor = await actorOf(request, this.keys);
    if (!actor) throw new ApiError('UNAUTHENTICATED', 'unknown or revoked API key');
    request.actor = actor;
    const required = this.reflector.getAllAndOverride<ActorRole[]>(ROLES_KEY, targets) ?? [];
    if (!roleAllows(actor.role, required)) {
      throw new ApiError('FORBIDDEN', `the ${actor.role} role may not do this`);
    }
    return true;
  }
}
