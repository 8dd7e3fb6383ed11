import { Query } from '@nestjs/cqrs';
import type { ViolationReadModel, ReplayTimes } from '@app/projections';

export class GetViolationQuery extends Query<ViolationReadModel | null> {
  constructor(
    readonly violationId: string,
    /** Set for an auditor's as-of / occurred-before replay; null for the live projection. */
    readonly replay: ReplayTimes | null = null,
    readonly at: Date = new Date(),
  ) {
    super();
  }
}
