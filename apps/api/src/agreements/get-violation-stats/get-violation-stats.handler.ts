import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getAgreement, violationStats } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetViolationStatsQuery } from './get-violation-stats.query';

@QueryHandler(GetViolationStatsQuery)
export class GetViolationStatsHandler implements IQueryHandler<GetViolationStatsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ agreementId, options }: GetViolationStatsQuery) {
    const [agreement, stats] = await Promise.all([
      getAgreement(this.pool, agreementId),
      violationStats(this.pool, agreementId, options),
    ]);
    return agreement === null ? null : stats;
  }
}
