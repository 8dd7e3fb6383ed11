import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { GetJobQuery } from './get-job.query';
import { JobView } from './job.view';

@ApiTags('admin')
@Controller('v1/admin/jobs')
export class GetJobController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':jobId')
  @Roles('admin')
  @ApiOperation({ summary: "A background job's state and progress (for example a rebuild)" })
  @ApiOkResponse({ type: JobView })
  @ReadApiResponses({ forbidden: true, notFound: true })
  async get(
    @Param('jobId', PathId) jobId: string,
    @Query(NoQueryParams) _query: Record<string, never>,
  ): Promise<JobView> {
    return foundOr404(await this.queries.execute(new GetJobQuery(jobId)), `job ${jobId}`);
  }
}
