import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AgreementReplay, getViolation } from '@app/projections';
import { violationStreamId } from '@app/domain';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetViolationQuery } from './get-violation.query';

/** The projections this read's answer comes from: the only ones a replay folds. */
const NEEDED = ['violations'];

@QueryHandler(GetViolationQuery)
export class GetViolationHandler implements IQueryHandler<GetViolationQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly replay: AgreementReplay,
  ) {}

  async execute({ violationId, replay, at }: GetViolationQuery) {
    if (!replay) return getViolation(this.pool, violationId);
    const answer = await this.replay.runForStream(
      violationStreamId(violationId),
      replay,
      ({ db }) => getViolation(db, violationId),
      at,
      NEEDED,
    );
    return answer && { ...answer, generatedFrom: 'replay' as const };
  }
}
