import { Query } from '@nestjs/cqrs';
import type { ObligationFilters, ObligationReadModel, Page } from '@app/projections';

export class ListObligationsQuery extends Query<Page<ObligationReadModel>> {
  constructor(
    readonly filters: ObligationFilters,
    readonly cursor: string | undefined,
    readonly limit: number | undefined,
  ) {
    super();
  }
}
