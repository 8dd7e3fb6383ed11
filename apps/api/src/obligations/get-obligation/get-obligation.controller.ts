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
import { GetObligationQuery } from './get-obligation.query';
import { ObligationView } from './obligation.view';

@ApiTags('obligations')
@Controller('v1/obligations')
export class GetObligationController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @Roles('reader')
  @ApiOperation({ summary: 'One obligation with its status, deadline, progress and history' })
  @ApiOkResponse({ type: ObligationView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query() query: ReplayRequest,
    @CurrentActor() actor: Actor | undefined,
  ): Promise<ObligationView> {
    const now = new Date();
    return foundOr404(
      await this.queries.execute(new GetObligationQuery(id, replayTimesOf(query, actor, now), now)),
      `obligation ${id}`,
    );
  }
}
