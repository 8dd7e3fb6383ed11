import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { Roles } from '../../common/auth/roles';
import { CurrentActor } from '../../common/request-context';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { replayTimesOf } from '../../reads/replay/replay-times';
import { ReplayRequest } from '../../reads/replay/replay.request.dto';
import { ComplianceView } from './compliance.view';
import { GetComplianceQuery } from './get-compliance.query';

@ApiTags('agreements')
@Controller('v1/agreements')
export class GetComplianceController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/compliance')
  @Roles('reader')
  @ApiOperation({
    summary: "Each party's and phase's compliance, computed at the time of the request",
    description:
      'With `asOf` and/or `occurredBefore` (auditor role), the answer is rebuilt by replaying the agreement\'s events through the same projection handlers: `generatedFrom: "replay"`.',
  })
  @ApiOkResponse({ type: ComplianceView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query() query: ReplayRequest,
    @CurrentActor() actor: Actor | undefined,
  ): Promise<ComplianceView> {
    const now = new Date();
    return foundOr404(
      await this.queries.execute(new GetComplianceQuery(id, now, replayTimesOf(query, actor, now))),
      `agreement ${id}`,
    );
  }
}
