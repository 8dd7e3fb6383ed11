import { Query } from '@nestjs/cqrs';
import type { AgreementReadModel, Page } from '@app/projections';

export class ListAgreementsQuery extends Query<Page<AgreementReadModel>> {
  constructor(
    readonly cursor: string | undefined,
    readonly limit: number | undefined,
  ) {
    super();
  }
}
