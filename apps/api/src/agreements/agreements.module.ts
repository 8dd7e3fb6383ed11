import { Module } from '@nestjs/common';
import { WritesModule } from '../common/writes/writes.module';
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

@Module({
  imports: [WritesModule],
  controllers: [RegisterAgreementController, StartPhaseController, RecordCasualtyTallyController],
  providers: [...AGREEMENT_COMMAND_HANDLERS],
})
export class AgreementsModule {}
