import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { AmendDeadlineRequest } from './amend-deadline.request.dto';

export class AmendDeadlineCommand extends Command<WriteOutcome> {
  constructor(
    readonly obligationId: string,
    readonly body: AmendDeadlineRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
