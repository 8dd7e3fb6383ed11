import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { ReportViolationRequest } from './report-violation.request.dto';

export class ReportViolationCommand extends Command<WriteOutcome> {
  constructor(
    readonly body: ReportViolationRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
