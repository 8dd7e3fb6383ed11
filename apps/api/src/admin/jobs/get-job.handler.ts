import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { GetJobQuery } from './get-job.query';
import { JobQueues } from './job-queues';
import type { JobView } from './job.view';

@QueryHandler(GetJobQuery)
export class GetJobHandler implements IQueryHandler<GetJobQuery> {
  constructor(private readonly queues: JobQueues) {}

  async execute({ jobId }: GetJobQuery): Promise<JobView | null> {
    const job = await this.queues.findJob(jobId);
    if (!job?.id) return null;
    const state = await this.queues.reachable(() => job.getState());
    return {
      id: job.id,
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
