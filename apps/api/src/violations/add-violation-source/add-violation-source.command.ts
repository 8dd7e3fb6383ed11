import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { AddViolationSourceRequest } from './add-violation-source.request.dto';

export class AddViolationSourceCommand extends Command<WriteOutcome> {
  constructor(
    readonly violationId: string,
    readonly body: AddViolationSourceRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
