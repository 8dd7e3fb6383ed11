import { Query } from '@nestjs/cqrs';
import type { Page, ViolationFilters, ViolationReadModel } from '@app/projections';

export class ListViolationsQuery extends Query<Page<ViolationReadModel>> {
  constructor(
    readonly filters: ViolationFilters,
    readonly cursor: string | undefined,
    readonly limit: number | undefined,
  ) {
    super();
  }
}
