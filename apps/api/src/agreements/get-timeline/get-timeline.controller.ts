import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { PageRequest } from '../../reads/page.request.dto';
import { PageView, PageViewOf } from '../../reads/page.view';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { GetTimelineQuery } from './get-timeline.query';
import { TimelineItemView } from './timeline-item.view';

const TimelinePageView = PageViewOf(TimelineItemView, 'TimelinePageView');

@ApiTags('agreements')
@Controller('v1/agreements')
export class GetTimelineController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/timeline')
  @Roles('reader')
  @ApiOperation({
    summary:
      "The agreement's events and those of its obligations, violations and tallies, in feed order",
  })
  @ApiOkResponse({ type: TimelinePageView })
  @ReadApiResponses({ notFound: true })
  async list(
    @Param('id', PathId) id: string,
    @Query() query: PageRequest,
  ): Promise<PageView<TimelineItemView>> {
    return foundOr404(
      await this.queries.execute(new GetTimelineQuery(id, query.cursor, query.limit)),
      `agreement ${id}`,
    );
  }
}
