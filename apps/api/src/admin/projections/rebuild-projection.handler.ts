import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PROJECTIONS, requestRebuild } from '@app/projections';
import { QUEUES } from '@app/shared';
import { JobQueues } from '../jobs/job-queues';
import { RebuildProjectionCommand } from './rebuild-projection.command';

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(private readonly queues: JobQueues) {}

  async execute({ projection }: RebuildProjectionCommand): Promise<{ jobId: string } | null> {
    if (!PROJECTIONS.some((p) => p.name === projection)) return null;
    const { jobId } = await this.queues.reachable(() =>
      requestRebuild(this.queues.queue(QUEUES.projections), projection, 'requested'),
    );
    return { jobId };
  }
}
