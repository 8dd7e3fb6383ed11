import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { GetViolationStatsQuery } from './get-violation-stats.query';
import { ViolationStatsRequest } from './violation-stats.request.dto';
import { ViolationStatsView } from './violation-stats.view';

@ApiTags('agreements')
@Controller('v1/agreements')
export class GetViolationStatsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/violations/stats')
  @Roles('reader')
  @ApiOperation({
    summary: "Per bucket and alleged party: the agreement's reports, their levels and casualties",
  })
  @ApiOkResponse({ type: ViolationStatsView })
  @ReadApiResponses({ notFound: true })
  async stats(
    @Param('id', PathId) id: string,
    @Query() query: ViolationStatsRequest,
  ): Promise<ViolationStatsView> {
    return foundOr404(
      await this.queries.execute(
        new GetViolationStatsQuery(id, {
          bucket: query.bucket,
          from: query.from,
          to: query.to,
          partyId: query.partyId,
        }),
      ),
      `agreement ${id}`,
    );
  }
}
