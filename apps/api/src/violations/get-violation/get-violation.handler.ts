import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getViolation } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetViolationQuery } from './get-violation.query';

@QueryHandler(GetViolationQuery)
export class GetViolationHandler implements IQueryHandler<GetViolationQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ violationId }: GetViolationQuery) {
    return getViolation(this.pool, violationId);
  }
}
