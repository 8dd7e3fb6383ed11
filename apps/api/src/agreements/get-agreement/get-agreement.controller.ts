import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { AgreementView } from './agreement.view';
import { GetAgreementQuery } from './get-agreement.query';

@ApiTags('agreements')
@Controller('v1/agreements')
export class GetAgreementController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @Roles('reader')
  @ApiOperation({ summary: 'One agreement with its parties, phases and counts' })
  @ApiOkResponse({ type: AgreementView })
  @ReadApiResponses({ notFound: true })
  async get(
    @Param('id', PathId) id: string,
    @Query(NoQueryParams) _query: Record<string, never>,
  ): Promise<AgreementView> {
    return foundOr404(await this.queries.execute(new GetAgreementQuery(id)), `agreement ${id}`);
  }
}
