import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { CSV_COLUMNS } from './violations-csv';
import { ExportViolationsCsvQuery } from './export-violations-csv.query';
import { ViolationExportRequest } from './violation-export.request.dto';

@ApiTags('violations')
@Controller('v1/violations')
export class ExportViolationsCsvController {
  constructor(private readonly queries: QueryBus) {}

  @Get('export.csv')
  @Roles('reader')
  @ApiOperation({
    summary: 'Violation reports as CSV, one row per report, ACLED-like columns',
    description:
      'RFC 4180 with a header row. Text cells starting with = + - @ (or tab, CR) are prefixed with a single quote so spreadsheets do not run them as formulas.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: `text/csv; columns: ${CSV_COLUMNS.join(', ')}`,
    schema: { type: 'string', example: `${CSV_COLUMNS.join(',')}\r\n` },
  })
  @ReadApiResponses()
  async export(@Query() query: ViolationExportRequest): Promise<StreamableFile> {
    const csv = await this.queries.execute(
      new ExportViolationsCsvQuery({
        agreementId: query.agreementId,
        from: query.from,
        to: query.to,
      }),
    );
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="violations.csv"',
    });
  }
}
