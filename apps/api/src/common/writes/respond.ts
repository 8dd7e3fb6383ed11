import type { FastifyReply } from 'fastify';
import type { WriteAnswer } from './idempotency-records';

/** Sets the answer's status (and the replay header) and returns its body. */
export function respond<Body>(reply: FastifyReply, outcome: WriteAnswer<Body>): Body {
  void reply.status(outcome.status);
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
  return outcome.body;
}
