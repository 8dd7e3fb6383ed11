import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  AgreementReplay,
  COMPLIANCE_PROJECTIONS,
  ComplianceCache,
  getCompliance,
} from '@app/projections';
import { GetComplianceQuery } from './get-compliance.query';

@QueryHandler(GetComplianceQuery)
export class GetComplianceHandler implements IQueryHandler<GetComplianceQuery> {
  constructor(
    private readonly replay: AgreementReplay,
    private readonly cache: ComplianceCache,
  ) {}

  async execute({ agreementId, at, replay }: GetComplianceQuery) {
    // Live: the process's cache, which serves a kept answer only while the projections it came
    // from are unchanged (ComplianceCache).
    if (!replay) return this.cache.get(agreementId, at);
    return this.replay.run(
      agreementId,
      replay,
      async ({ db, at: judgedAt, lastPosition }) => {
        const answer = await getCompliance(db, agreementId, judgedAt);
        return answer && { ...answer, generatedFrom: 'replay' as const, lastPosition };
      },
      at,
      COMPLIANCE_PROJECTIONS,
    );
  }
}
