import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PROJECTIONS, requestRebuild } from '@app/projections';
import { PG_POOL, QUEUES } from '@app/shared';
import {
  findIdempotentAnswer,
  recordIdempotentAnswer,
  WriteAnswer,
} from '../../common/writes/idempotency-records';
import { JobQueues } from '../jobs/job-queues';
import { RebuildProjectionCommand } from './rebuild-projection.command';

type Accepted = WriteAnswer<{ jobId: string }>;

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(
    private readonly queues: JobQueues,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async execute({ projection, request }: RebuildProjectionCommand): Promise<Accepted | null> {
    const first = await findIdempotentAnswer<{ jobId: string }>(this.pool, request);
    if (first) return first;
    if (!PROJECTIONS.some((p) => p.name === projection)) return null;
    const { jobId } = await this.queues.reachable(() =>
      requestRebuild(this.queues.queue(QUEUES.projections), projection, 'requested'),
    );
    const accepted: Accepted = { status: 202, body: { jobId }, replayed: false };
    // The job is in Redis, so its record cannot share a transaction with it: the record is written
    // just after. requestRebuild closes the gaps this leaves, answering a rebuild still queued or
    // running with that job instead of queueing another: a retry after a crash between the two,
    // or a concurrent request with the same key (which answers with the record written first),
    // queues nothing more.
    if (
      request.idempotencyKey &&
      !(await recordIdempotentAnswer(this.pool, request, 202, accepted.body))
    ) {
      return (await findIdempotentAnswer<{ jobId: string }>(this.pool, request)) ?? accepted;
    }
    return accepted;
  }
}
