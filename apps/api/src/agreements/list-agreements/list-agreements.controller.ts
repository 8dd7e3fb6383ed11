import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PageRequest } from '../../reads/page.request.dto';
import { PageView, PageViewOf } from '../../reads/page.view';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { AgreementView } from '../get-agreement/agreement.view';
import { ListAgreementsQuery } from './list-agreements.query';

const AgreementPageView = PageViewOf(AgreementView, 'AgreementPageView');

@ApiTags('agreements')
@Controller('v1/agreements')
export class ListAgreementsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('reader')
  @ApiOperation({ summary: 'Agreements in registration order' })
  @ApiOkResponse({ type: AgreementPageView })
  @ReadApiResponses()
  list(@Query() query: PageRequest): Promise<PageView<AgreementView>> {
    return this.queries.execute(new ListAgreementsQuery(query.cursor, query.limit));
  }
}
