import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getAgreement } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetAgreementQuery } from './get-agreement.query';

@QueryHandler(GetAgreementQuery)
export class GetAgreementHandler implements IQueryHandler<GetAgreementQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ agreementId }: GetAgreementQuery) {
    return getAgreement(this.pool, agreementId);
  }
}
