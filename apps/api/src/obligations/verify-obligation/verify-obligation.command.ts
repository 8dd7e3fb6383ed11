import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { VerifyObligationRequest } from './verify-obligation.request.dto';

export class VerifyObligationCommand extends Command<WriteOutcome> {
  constructor(
    readonly obligationId: string,
    readonly body: VerifyObligationRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
