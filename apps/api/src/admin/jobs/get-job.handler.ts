import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { GetJobQuery } from './get-job.query';
import { JobQueues } from './job-queues';
import type { JobView } from './job.view';

@QueryHandler(GetJobQuery)
export class GetJobHandler implements IQueryHandler<GetJobQuery> {
  constructor(private readonly queues: JobQueues) {}

  async execute({ jobId }: GetJobQuery): Promise<JobView | null> {
    const found = await this.queues.findJob(jobId);
    if (!found?.id) return null;
    const state = await this.queues.reachable(() => found.getState());
    // The job may have finished between the two reads: read it again, so that a finished state
    // comes with its finishedAt and last progress (seen: `completed` with finishedAt null).
    const job =
      (state === 'completed' || state === 'failed') && !found.finishedOn
        ? ((await this.queues.findJob(jobId)) ?? found)
        : found;
    return {
      id: found.id,
      name: job.name,
      queue: job.queueName,
      state,
      progress: job.progress,
      attemptsMade: job.attemptsMade,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    };
  }
}
