import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listAgreements } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { ListAgreementsQuery } from './list-agreements.query';

@QueryHandler(ListAgreementsQuery)
export class ListAgreementsHandler implements IQueryHandler<ListAgreementsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ cursor, limit }: ListAgreementsQuery) {
    return listAgreements(this.pool, { cursor, limit });
  }
}
