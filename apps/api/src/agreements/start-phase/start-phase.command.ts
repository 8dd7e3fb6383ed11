import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { StartPhaseRequest } from './start-phase.request.dto';

export class StartPhaseCommand extends Command<WriteOutcome> {
  constructor(
    readonly agreementId: string,
    readonly phaseKey: string,
    readonly body: StartPhaseRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
