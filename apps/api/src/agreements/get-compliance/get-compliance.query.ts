import { Query } from '@nestjs/cqrs';
import type { ComplianceReadModel, ReplayTimes } from '@app/projections';

export class GetComplianceQuery extends Query<ComplianceReadModel | null> {
  constructor(
    readonly agreementId: string,
    /** The time statuses and rates are judged at: the request's time. */
    readonly at: Date,
    /** Set for an auditor's as-of / occurred-before replay; null for the live projection. */
    readonly replay: ReplayTimes | null = null,
  ) {
    super();
  }
}
