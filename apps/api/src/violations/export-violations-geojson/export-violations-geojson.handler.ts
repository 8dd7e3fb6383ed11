import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PG_POOL } from '@app/shared';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { walkViolations } from '../../reads/violation-walk';
import { ExportViolationsGeoJsonQuery } from './export-violations-geojson.query';
import { violationFeature } from './violation-feature';

@QueryHandler(ExportViolationsGeoJsonQuery)
export class ExportViolationsGeoJsonHandler implements IQueryHandler<ExportViolationsGeoJsonQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ filters }: ExportViolationsGeoJsonQuery): Promise<Readable> {
    const reports = await walkViolations(this.pool, filters);
    return Readable.from(
      (async function* chunks() {
        yield '{"type":"FeatureCollection","features":[';
        let separator = '';
        for await (const v of reports) {
          const feature = violationFeature(v);
          if (feature === null) continue;
          yield separator + JSON.stringify(feature);
          separator = ',';
        }
        yield ']}';
      })(),
    );
  }
}
