import { Command } from '@nestjs/cqrs';
import type { WriteRequest } from '../../common/request-context';
import type { WriteAnswer } from '../../common/writes/idempotency-records';

/**
 * Queue a rebuild of one projection; answers 202 with the job id (an already queued one is
 * reused), or null for an unknown projection.
 */
export class RebuildProjectionCommand extends Command<WriteAnswer<{ jobId: string }> | null> {
  constructor(
    readonly projection: string,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
