import { Query } from '@nestjs/cqrs';
import type { ViolationFilters } from '@app/projections';
import type { Readable } from 'node:stream';

/** The matching reports that have coordinates, as a GeoJSON FeatureCollection, streamed. */
export class ExportViolationsGeoJsonQuery extends Query<Readable> {
  constructor(readonly filters: Pick<ViolationFilters, 'agreementId' | 'from' | 'to'>) {
    super();
  }
}
