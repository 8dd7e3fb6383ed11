import { Module } from '@nestjs/common';
import { WritesModule } from '../common/writes/writes.module';
import { ReplayModule } from '../reads/replay/replay.module';
import { GetAgreementController } from './get-agreement/get-agreement.controller';
import { GetAgreementHandler } from './get-agreement/get-agreement.handler';
import { complianceCacheProvider } from './get-compliance/compliance-cache.provider';
import { GetComplianceController } from './get-compliance/get-compliance.controller';
import { GetComplianceHandler } from './get-compliance/get-compliance.handler';
import { GetTimelineController } from './get-timeline/get-timeline.controller';
import { GetTimelineHandler } from './get-timeline/get-timeline.handler';
import { GetViolationStatsController } from './get-violation-stats/get-violation-stats.controller';
import { GetViolationStatsHandler } from './get-violation-stats/get-violation-stats.handler';
import { LiveFeed } from './live/live-feed.service';
import { LiveController } from './live/live.controller';
import { ListAgreementsController } from './list-agreements/list-agreements.controller';
import { ListAgreementsHandler } from './list-agreements/list-agreements.handler';
import { RecordCasualtyTallyController } from './record-casualty-tally/record-casualty-tally.controller';
import { RecordCasualtyTallyHandler } from './record-casualty-tally/record-casualty-tally.handler';
import { RegisterAgreementController } from './register-agreement/register-agreement.controller';
import { RegisterAgreementHandler } from './register-agreement/register-agreement.handler';
import { StartPhaseController } from './start-phase/start-phase.controller';
import { StartPhaseHandler } from './start-phase/start-phase.handler';

export const AGREEMENT_COMMAND_HANDLERS = [
  RegisterAgreementHandler,
  StartPhaseHandler,
  RecordCasualtyTallyHandler,
];

export const AGREEMENT_QUERY_HANDLERS = [
  ListAgreementsHandler,
  GetAgreementHandler,
  GetComplianceHandler,
  GetTimelineHandler,
  GetViolationStatsHandler,
];

@Module({
  imports: [WritesModule, ReplayModule],
  controllers: [
    RegisterAgreementController,
    StartPhaseController,
    RecordCasualtyTallyController,
    ListAgreementsController,
    GetAgreementController,
    GetComplianceController,
    GetTimelineController,
    GetViolationStatsController,
    LiveController,
  ],
  providers: [
    ...AGREEMENT_COMMAND_HANDLERS,
    ...AGREEMENT_QUERY_HANDLERS,
    LiveFeed,
    complianceCacheProvider,
  ],
})
export class AgreementsModule {}
