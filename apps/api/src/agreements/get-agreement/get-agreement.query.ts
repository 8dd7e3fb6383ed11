import { Query } from '@nestjs/cqrs';
import type { AgreementReadModel } from '@app/projections';

export class GetAgreementQuery extends Query<AgreementReadModel | null> {
  constructor(readonly agreementId: string) {
    super();
  }
}
