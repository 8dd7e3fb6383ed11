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
import { GetViolationQuery } from './get-violation.query';
import { ViolationView } from './violation.view';

// Registered after the export controllers: /v1/violations/export.csv is not a violation id.
@ApiTags('violations')
@Controller('v1/violations')
export class GetViolationController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @Roles('reader')
  @ApiOperation({ summary: 'One violation report with its sources, disputes and level' })
  @ApiOkResponse({ type: ViolationView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query() query: ReplayRequest,
    @CurrentActor() actor: Actor | undefined,
  ): Promise<ViolationView> {
    const now = new Date();
    return foundOr404(
      await this.queries.execute(new GetViolationQuery(id, replayTimesOf(query, actor, now), now)),
      `violation ${id}`,
    );
  }
}
