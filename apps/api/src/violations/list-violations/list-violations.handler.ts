import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listViolations } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { ListViolationsQuery } from './list-violations.query';

@QueryHandler(ListViolationsQuery)
export class ListViolationsHandler implements IQueryHandler<ListViolationsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ filters, cursor, limit }: ListViolationsQuery) {
    return listViolations(this.pool, filters, cursor, limit);
  }
}
