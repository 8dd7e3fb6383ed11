import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listObligations } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { ListObligationsQuery } from './list-obligations.query';

@QueryHandler(ListObligationsQuery)
export class ListObligationsHandler implements IQueryHandler<ListObligationsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ filters, cursor, limit }: ListObligationsQuery) {
    return listObligations(this.pool, filters, cursor, limit);
  }
}
