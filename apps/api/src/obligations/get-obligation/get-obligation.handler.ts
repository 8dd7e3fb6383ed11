import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getObligation } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetObligationQuery } from './get-obligation.query';

@QueryHandler(GetObligationQuery)
export class GetObligationHandler implements IQueryHandler<GetObligationQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ obligationId }: GetObligationQuery) {
    return getObligation(this.pool, obligationId);
  }
}
