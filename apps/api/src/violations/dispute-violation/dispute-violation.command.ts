import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { DisputeViolationRequest } from './dispute-violation.request.dto';

export class DisputeViolationCommand extends Command<WriteOutcome> {
  constructor(
    readonly violationId: string,
    readonly body: DisputeViolationRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
