import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { ListProjectionsQuery } from './list-projections.query';
import { ProjectionStatusListView } from './projection-status.view';

@ApiTags('admin')
@Controller('v1/admin/projections')
export class ListProjectionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Where each projection stands against the committed feed' })
  @ApiOkResponse({ type: ProjectionStatusListView })
  @ReadApiResponses({ forbidden: true })
  list(@Query(NoQueryParams) _query: Record<string, never>): Promise<ProjectionStatusListView> {
    return this.queries.execute(new ListProjectionsQuery());
  }
}
