import { Query } from '@nestjs/cqrs';
import type { ObligationReadModel } from '@app/projections';

export class GetObligationQuery extends Query<ObligationReadModel | null> {
  constructor(readonly obligationId: string) {
    super();
  }
}
