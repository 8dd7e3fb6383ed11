import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PageView, PageViewOf } from '../../reads/page.view';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { ViolationView } from '../get-violation/violation.view';
import { ListViolationsQuery } from './list-violations.query';
import { ListViolationsRequest } from './list-violations.request.dto';

const ViolationPageView = PageViewOf(ViolationView, 'ViolationPageView');

@ApiTags('violations')
@Controller('v1/violations')
export class ListViolationsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('reader')
  @ApiOperation({
    summary: 'Violation reports, newest recorded first, filtered',
    description:
      'Reports recorded after the first page was read appear ahead of it, never inside a walk.',
  })
  @ApiOkResponse({ type: ViolationPageView })
  @ReadApiResponses()
  list(@Query() query: ListViolationsRequest): Promise<PageView<ViolationView>> {
    const { cursor, limit, ...filters } = query;
    return this.queries.execute(new ListViolationsQuery(filters, cursor, limit));
  }
}
