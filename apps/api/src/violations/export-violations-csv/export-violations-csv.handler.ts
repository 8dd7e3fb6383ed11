import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getAgreement } from '@app/projections';
import { PG_POOL } from '@app/shared';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { walkViolations } from '../../reads/violation-walk';
import { ExportViolationsCsvQuery } from './export-violations-csv.query';
import { CSV_HEADER, violationCsvLine } from './violations-csv';

@QueryHandler(ExportViolationsCsvQuery)
export class ExportViolationsCsvHandler implements IQueryHandler<ExportViolationsCsvQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ filters }: ExportViolationsCsvQuery): Promise<Readable> {
    const reports = await walkViolations(this.pool, filters);
    const pool = this.pool;
    // Party names per agreement, looked up once each.
    const partyNames = new Map<string, Map<string, string>>();
    const partyName = async (agreementId: string, partyId: string) => {
      let names = partyNames.get(agreementId);
      if (!names) {
        const agreement = await getAgreement(pool, agreementId);
        names = new Map((agreement?.parties ?? []).map((p) => [p.id, p.name]));
        partyNames.set(agreementId, names);
      }
      return names.get(partyId) ?? partyId;
    };
    return Readable.from(
      (async function* lines() {
        yield CSV_HEADER;
        for await (const v of reports) {
          yield violationCsvLine(v, await partyName(v.agreementId, v.allegedPartyId));
        }
      })(),
    );
  }
}
