import { Command } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../common/writes/command-executor';
import type { WriteRequest } from '../../common/request-context';
import type { ReviseCasualtiesRequest } from './revise-casualties.request.dto';

export class ReviseCasualtiesCommand extends Command<WriteOutcome> {
  constructor(
    readonly violationId: string,
    readonly body: ReviseCasualtiesRequest,
    readonly request: WriteRequest,
  ) {
    super();
  }
}
