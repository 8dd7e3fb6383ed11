import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PageView, PageViewOf } from '../../reads/page.view';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { ObligationView } from '../get-obligation/obligation.view';
import { ListObligationsQuery } from './list-obligations.query';
import { ListObligationsRequest } from './list-obligations.request.dto';

const ObligationPageView = PageViewOf(ObligationView, 'ObligationPageView');

@ApiTags('obligations')
@Controller('v1/obligations')
export class ListObligationsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('reader')
  @ApiOperation({ summary: 'Obligations in registration order, filtered' })
  @ApiOkResponse({ type: ObligationPageView })
  @ReadApiResponses()
  list(@Query() query: ListObligationsRequest): Promise<PageView<ObligationView>> {
    const { cursor, limit, ...filters } = query;
    return this.queries.execute(new ListObligationsQuery(filters, cursor, limit));
  }
}
