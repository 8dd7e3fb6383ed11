import { Query } from '@nestjs/cqrs';
import type { ViolationReadModel } from '@app/projections';

export class GetViolationQuery extends Query<ViolationReadModel | null> {
  constructor(readonly violationId: string) {
    super();
  }
}
