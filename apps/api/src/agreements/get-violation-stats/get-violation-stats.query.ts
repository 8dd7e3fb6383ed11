import { Query } from '@nestjs/cqrs';
import type { ViolationStatsItem, ViolationStatsQuery } from '@app/projections';

/** Null when the agreement is unknown. */
export class GetViolationStatsQuery extends Query<{ items: ViolationStatsItem[] } | null> {
  constructor(
    readonly agreementId: string,
    readonly options: ViolationStatsQuery,
  ) {
    super();
  }
}
