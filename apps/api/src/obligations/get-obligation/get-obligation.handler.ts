import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AgreementReplay, getObligation } from '@app/projections';
import { obligationStreamId } from '@app/domain';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetObligationQuery } from './get-obligation.query';

/** The projections this read's answer comes from: the only ones a replay folds. */
const NEEDED = ['obligations', 'violations'];

@QueryHandler(GetObligationQuery)
export class GetObligationHandler implements IQueryHandler<GetObligationQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly replay: AgreementReplay,
  ) {}

  async execute({ obligationId, replay, at }: GetObligationQuery) {
    if (!replay) return getObligation(this.pool, obligationId);
    const answer = await this.replay.runForStream(
      obligationStreamId(obligationId),
      replay,
      ({ db }) => getObligation(db, obligationId),
      at,
      NEEDED,
    );
    return answer && { ...answer, generatedFrom: 'replay' as const };
  }
}
