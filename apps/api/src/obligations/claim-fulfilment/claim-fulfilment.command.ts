import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { ClaimFulfilmentRequest } from './claim-fulfilment.request.dto';

export class ClaimFulfilmentCommand extends Command<WriteOutcome> {
  constructor(
    readonly obligationId: string,
    readonly body: ClaimFulfilmentRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
