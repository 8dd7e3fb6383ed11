import { Module } from '@nestjs/common';
import { WritesModule } from '../common/writes/writes.module';
import { ReplayModule } from '../reads/replay/replay.module';
import { GetObligationController } from './get-obligation/get-obligation.controller';
import { GetObligationHandler } from './get-obligation/get-obligation.handler';
import { ListObligationsController } from './list-obligations/list-obligations.controller';
import { ListObligationsHandler } from './list-obligations/list-obligations.handler';
import { AmendDeadlineController } from './amend-deadline/amend-deadline.controller';
import { AmendDeadlineHandler } from './amend-deadline/amend-deadline.handler';
import { ChangeObligationStateController } from './change-obligation-state/change-obligation-state.controller';
import { ChangeObligationStateHandler } from './change-obligation-state/change-obligation-state.handler';
import { ClaimFulfilmentController } from './claim-fulfilment/claim-fulfilment.controller';
import { ClaimFulfilmentHandler } from './claim-fulfilment/claim-fulfilment.handler';
import { RegisterObligationController } from './register-obligation/register-obligation.controller';
import { RegisterObligationHandler } from './register-obligation/register-obligation.handler';
import { ReportProgressController } from './report-progress/report-progress.controller';
import { ReportProgressHandler } from './report-progress/report-progress.handler';
import { VerifyObligationController } from './verify-obligation/verify-obligation.controller';
import { VerifyObligationHandler } from './verify-obligation/verify-obligation.handler';

export const OBLIGATION_COMMAND_HANDLERS = [
  RegisterObligationHandler,
  ReportProgressHandler,
  ClaimFulfilmentHandler,
  VerifyObligationHandler,
  AmendDeadlineHandler,
  ChangeObligationStateHandler,
];

export const OBLIGATION_QUERY_HANDLERS = [ListObligationsHandler, GetObligationHandler];

@Module({
  imports: [WritesModule, ReplayModule],
  controllers: [
    RegisterObligationController,
    ReportProgressController,
    ClaimFulfilmentController,
    VerifyObligationController,
    AmendDeadlineController,
    ChangeObligationStateController,
    ListObligationsController,
    GetObligationController,
  ],
  providers: [...OBLIGATION_COMMAND_HANDLERS, ...OBLIGATION_QUERY_HANDLERS],
})
export class ObligationsModule {}
