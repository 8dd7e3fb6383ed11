import { Query } from '@nestjs/cqrs';
import type { ComplianceReadModel } from '@app/projections';

export class GetComplianceQuery extends Query<ComplianceReadModel | null> {
  constructor(
    readonly agreementId: string,
    /** The time statuses and rates are judged at: the request's time. */
    readonly at: Date,
  ) {
    super();
  }
}
