import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AgreementReplay, getCompliance } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetComplianceQuery } from './get-compliance.query';

/** The projections this read's answer comes from: the only ones a replay folds. */
const NEEDED = ['agreements', 'obligations', 'violations', 'casualty-tallies'];

@QueryHandler(GetComplianceQuery)
export class GetComplianceHandler implements IQueryHandler<GetComplianceQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly replay: AgreementReplay,
  ) {}

  async execute({ agreementId, at, replay }: GetComplianceQuery) {
    if (!replay) return getCompliance(this.pool, agreementId, at);
    return this.replay.run(
      agreementId,
      replay,
      async ({ db, at: judgedAt, lastPosition }) => {
        const answer = await getCompliance(db, agreementId, judgedAt);
        return answer && { ...answer, generatedFrom: 'replay' as const, lastPosition };
      },
      at,
      NEEDED,
    );
  }
}
