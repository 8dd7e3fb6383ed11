import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { ReportProgressCommand } from './report-progress.command';

@CommandHandler(ReportProgressCommand)
export class ReportProgressHandler implements ICommandHandler<ReportProgressCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: ReportProgressCommand) {
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: false,
      command: {
        type: 'ReportProgress',
        data: {
          obligationId,
          quantity: body.quantity,
          occurredAt: body.occurredAt,
          source: toSource(body.source),
          note: body.note ?? null,
        },
      },
    });
  }
}
