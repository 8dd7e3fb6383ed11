import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { GetViolationQuery } from './get-violation.query';
import { ViolationView } from './violation.view';

// Registered after the export controllers: /v1/violations/export.csv is not a violation id.
@ApiTags('violations')
@Controller('v1/violations')
export class GetViolationController {
  constructor(private readonly queries: QueryBus) {}

  // `?asOf` (auditors' replay) is not served yet: an unknown query parameter is a 400.
  @Get(':id')
  @Roles('reader')
  @ApiOperation({ summary: 'One violation report with its sources, disputes and level' })
  @ApiOkResponse({ type: ViolationView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query(NoQueryParams) _query: Record<string, never>,
  ): Promise<ViolationView> {
    return foundOr404(await this.queries.execute(new GetViolationQuery(id)), `violation ${id}`);
  }
}
