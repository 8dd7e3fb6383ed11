import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetJobController } from '../jobs/get-job.controller';
import { GetJobHandler } from '../jobs/get-job.handler';
import { JobQueues } from '../jobs/job-queues';
import { ListProjectionsController } from './list-projections.controller';
import { ListProjectionsHandler } from './list-projections.handler';
import { RebuildProjectionController } from './rebuild-projection.controller';
import { RebuildProjectionHandler } from './rebuild-projection.handler';

export const PROJECTION_ADMIN_QUERY_HANDLERS = [ListProjectionsHandler, GetJobHandler];
export const PROJECTION_ADMIN_COMMAND_HANDLERS = [RebuildProjectionHandler];

/** Operations on the read side: projection status, rebuilds, and the jobs that run them. */
@Module({
  imports: [CqrsModule],
  controllers: [ListProjectionsController, RebuildProjectionController, GetJobController],
  providers: [...PROJECTION_ADMIN_QUERY_HANDLERS, ...PROJECTION_ADMIN_COMMAND_HANDLERS, JobQueues],
})
export class ProjectionStatusModule {}
