import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { ReportProgressRequest } from './report-progress.request.dto';

export class ReportProgressCommand extends Command<WriteOutcome> {
  constructor(
    readonly obligationId: string,
    readonly body: ReportProgressRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
