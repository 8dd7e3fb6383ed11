// Bull Board at /admin/queues, for admin keys only. It is a Fastify plugin outside Nest's routing,
// so the API's guard never sees its requests: a hook of its own checks the key with the same
// ApiKeysService. 401 asks for HTTP Basic, so that a browser prompts for the key.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@app/domain';
import { ApiError } from '../../common/api-error';
import { ApiKeysService } from '../../common/auth/api-keys.service';
import { offeredKey } from './board-credentials';
import { MonitoredQueues } from './monitored-queues';

const QUEUE_BOARD_PATH = '/admin/queues';

type BoardOptions = Parameters<typeof createBullBoard>[0];

function refuse(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.status(error.getStatus()).send(error.getResponse());
}

@Injectable()
export class QueueBoard implements OnModuleInit {
  private readonly logger = new Logger('QueueBoard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: MonitoredQueues,
    private readonly keys: ApiKeysService,
  ) {}

  onModuleInit(): void {
    const board = new FastifyAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: this.queues.all.map((queue) => new BullMQAdapter(queue)),
      // The lock file holds @bull-board/api 9.10.2 beside @bull-board/fastify 9.10.1, which pins
      // its own api 9.10.1: the same shapes, declared twice. Align the versions to drop the cast.
      serverAdapter: board as unknown as BoardOptions['serverAdapter'],
      options: { uiConfig: { boardTitle: 'ceasefire-ledger' } },
    });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // The hook is registered in a scope of its own around the board: it guards nothing else. Not
    // awaited: that would make Fastify set up the routes Nest has declared now, before Nest sets
    // its error handler, and they would keep Fastify's default one. Fastify loads it when ready.
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', (request, reply) => this.admit(request, reply));
      await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  }

  private async admit(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const key = offeredKey(request.headers.authorization);
    let actor: Actor | null;
    try {
      actor = key ? await this.keys.authenticate(key) : null;
    } catch (err) {
      this.logger.warn(`cannot check a key for the queue board: ${(err as Error).message}`);
      void reply.header('Retry-After', '5');
      return refuse(reply, new ApiError('UNAVAILABLE', 'the key store cannot be reached'));
    }
    if (!actor) {
      void reply.header('WWW-Authenticate', 'Basic realm="queues"');
      return refuse(
        reply,
        new ApiError(
          'UNAUTHENTICATED',
          'an admin key is required: Authorization: Bearer <key>, or Basic with the key as password',
        ),
      );
    }
    if (actor.role !== 'admin') {
      return refuse(
        reply,
        new ApiError('FORBIDDEN', `the ${actor.role} role may not see the queues`),
      );
    }
  }
}
