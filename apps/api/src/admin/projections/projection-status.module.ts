import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListProjectionsController } from './list-projections.controller';
import { ListProjectionsHandler } from './list-projections.handler';

export const PROJECTION_ADMIN_QUERY_HANDLERS = [ListProjectionsHandler];

/** Operations' read of the projections (GET /v1/admin/projections). */
@Module({
  imports: [CqrsModule],
  controllers: [ListProjectionsController],
  providers: [...PROJECTION_ADMIN_QUERY_HANDLERS],
})
export class ProjectionStatusModule {}
