import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { RegisterObligationRequest } from './register-obligation.request.dto';

export class RegisterObligationCommand extends Command<WriteOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: RegisterObligationRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
