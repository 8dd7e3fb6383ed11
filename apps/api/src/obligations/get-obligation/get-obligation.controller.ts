import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { GetObligationQuery } from './get-obligation.query';
import { ObligationView } from './obligation.view';

@ApiTags('obligations')
@Controller('v1/obligations')
export class GetObligationController {
  constructor(private readonly queries: QueryBus) {}

  // `?asOf` (auditors' replay) is not served yet: an unknown query parameter is a 400.
  @Get(':id')
  @Roles('reader')
  @ApiOperation({ summary: 'One obligation with its status, deadline, progress and history' })
  @ApiOkResponse({ type: ObligationView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query(NoQueryParams) _query: Record<string, never>,
  ): Promise<ObligationView> {
    return foundOr404(await this.queries.execute(new GetObligationQuery(id)), `obligation ${id}`);
  }
}
