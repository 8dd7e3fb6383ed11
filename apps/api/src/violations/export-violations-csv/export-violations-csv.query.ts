import { Query } from '@nestjs/cqrs';
import type { ViolationFilters } from '@app/projections';
import type { Readable } from 'node:stream';

/** The matching reports as CSV text, streamed. */
export class ExportViolationsCsvQuery extends Query<Readable> {
  constructor(readonly filters: Pick<ViolationFilters, 'agreementId' | 'from' | 'to'>) {
    super();
  }
}
