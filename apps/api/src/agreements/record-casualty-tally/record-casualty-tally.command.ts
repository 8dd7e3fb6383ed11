import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { RecordCasualtyTallyRequest } from './record-casualty-tally.request.dto';

export class RecordCasualtyTallyCommand extends Command<WriteOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: RecordCasualtyTallyRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
