import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { ChangeObligationStateRequest } from './change-obligation-state.request.dto';

export class ChangeObligationStateCommand extends Command<WriteOutcome> {
  constructor(
    readonly obligationId: string,
    readonly body: ChangeObligationStateRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
