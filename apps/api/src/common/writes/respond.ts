import type { FastifyReply } from 'fastify';
import type { WriteOutcome, WriteResponse } from './command-executor';

/** Sets the outcome's status (and the replay header) and returns its body. */
export function respond(reply: FastifyReply, outcome: WriteOutcome): WriteResponse {
  void reply.status(outcome.status);
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
  return outcome.body;
}
