import { Module } from '@nestjs/common';
import { WritesModule } from '../common/writes/writes.module';
import { ReplayModule } from '../reads/replay/replay.module';
import { ExportViolationsCsvController } from './export-violations-csv/export-violations-csv.controller';
import { ExportViolationsCsvHandler } from './export-violations-csv/export-violations-csv.handler';
import { ExportViolationsGeoJsonController } from './export-violations-geojson/export-violations-geojson.controller';
import { ExportViolationsGeoJsonHandler } from './export-violations-geojson/export-violations-geojson.handler';
import { GetViolationController } from './get-violation/get-violation.controller';
import { GetViolationHandler } from './get-violation/get-violation.handler';
import { ListViolationsController } from './list-violations/list-violations.controller';
import { ListViolationsHandler } from './list-violations/list-violations.handler';
import { AddViolationSourceController } from './add-violation-source/add-violation-source.controller';
import { AddViolationSourceHandler } from './add-violation-source/add-violation-source.handler';
import { DisputeViolationController } from './dispute-violation/dispute-violation.controller';
import { DisputeViolationHandler } from './dispute-violation/dispute-violation.handler';
import { ReportViolationController } from './report-violation/report-violation.controller';
import { ReportViolationHandler } from './report-violation/report-violation.handler';
import { RetractViolationController } from './retract-violation/retract-violation.controller';
import { RetractViolationHandler } from './retract-violation/retract-violation.handler';
import { ReviseCasualtiesController } from './revise-casualties/revise-casualties.controller';
import { ReviseCasualtiesHandler } from './revise-casualties/revise-casualties.handler';
import { VerifyViolationController } from './verify-violation/verify-violation.controller';
import { VerifyViolationHandler } from './verify-violation/verify-violation.handler';

export const VIOLATION_COMMAND_HANDLERS = [
  ReportViolationHandler,
  AddViolationSourceHandler,
  ReviseCasualtiesHandler,
  DisputeViolationHandler,
  VerifyViolationHandler,
  RetractViolationHandler,
];

export const VIOLATION_QUERY_HANDLERS = [
  ListViolationsHandler,
  GetViolationHandler,
  ExportViolationsCsvHandler,
  ExportViolationsGeoJsonHandler,
];

@Module({
  imports: [WritesModule, ReplayModule],
  controllers: [
    ReportViolationController,
    AddViolationSourceController,
    ReviseCasualtiesController,
    DisputeViolationController,
    VerifyViolationController,
    RetractViolationController,
    // The exports before GET :id, so export.csv and export.geojson are never taken for ids.
    ExportViolationsCsvController,
    ExportViolationsGeoJsonController,
    ListViolationsController,
    GetViolationController,
  ],
  providers: [...VIOLATION_COMMAND_HANDLERS, ...VIOLATION_QUERY_HANDLERS],
})
export class ViolationsModule {}
