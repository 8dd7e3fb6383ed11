import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { RetractViolationRequest } from './retract-violation.request.dto';

export class RetractViolationCommand extends Command<WriteOutcome> {
  constructor(
    readonly violationId: string,
    readonly body: RetractViolationRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
