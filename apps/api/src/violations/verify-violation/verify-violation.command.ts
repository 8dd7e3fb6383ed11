import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { VerifyViolationRequest } from './verify-violation.request.dto';

export class VerifyViolationCommand extends Command<WriteOutcome> {
  constructor(
    readonly violationId: string,
    readonly body: VerifyViolationRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
