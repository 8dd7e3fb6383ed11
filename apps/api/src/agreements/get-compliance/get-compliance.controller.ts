import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { ComplianceView } from './compliance.view';
import { GetComplianceQuery } from './get-compliance.query';

@ApiTags('agreements')
@Controller('v1/agreements')
export class GetComplianceController {
  constructor(private readonly queries: QueryBus) {}

  // `?asOf` (auditors' replay) is not served yet: the global whitelist answers it with a 400.
  @Get(':id/compliance')
  @Roles('reader')
  @ApiOperation({
    summary: "Each party's and phase's compliance, computed at the time of the request",
  })
  @ApiOkResponse({ type: ComplianceView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query(NoQueryParams) _query: Record<string, never>,
  ): Promise<ComplianceView> {
    return foundOr404(
      await this.queries.execute(new GetComplianceQuery(id, new Date())),
      `agreement ${id}`,
    );
  }
}
