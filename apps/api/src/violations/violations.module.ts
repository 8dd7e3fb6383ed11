import { Module } from '@nestjs/common';
import { WritesModule } from '../common/writes/writes.module';
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

@Module({
  imports: [WritesModule],
  controllers: [
    ReportViolationController,
    AddViolationSourceController,
    ReviseCasualtiesController,
    DisputeViolationController,
    VerifyViolationController,
    RetractViolationController,
  ],
  providers: [...VIOLATION_COMMAND_HANDLERS],
})
export class ViolationsModule {}
