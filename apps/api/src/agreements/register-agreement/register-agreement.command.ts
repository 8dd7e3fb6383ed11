import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { RegisterAgreementRequest } from './register-agreement.request.dto';

export class RegisterAgreementCommand extends Command<WriteOutcome> {
  constructor(
    readonly body: RegisterAgreementRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
