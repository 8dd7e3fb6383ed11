import { Query } from '@nestjs/cqrs';
import type { ObligationReadModel, ReplayTimes } from '@app/projections';

export class GetObligationQuery extends Query<ObligationReadModel | null> {
  constructor(
    readonly obligationId: string,
    /** Set for an auditor's as-of / occurred-before replay; null for the live projection. */
    readonly replay: ReplayTimes | null = null,
    readonly at: Date = new Date(),
  ) {
    super();
  }
}
