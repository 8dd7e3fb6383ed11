import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getCompliance } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetComplianceQuery } from './get-compliance.query';

@QueryHandler(GetComplianceQuery)
export class GetComplianceHandler implements IQueryHandler<GetComplianceQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ agreementId, at }: GetComplianceQuery) {
    return getCompliance(this.pool, agreementId, at);
  }
}
