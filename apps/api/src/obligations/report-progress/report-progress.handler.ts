import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { obligationDecider, obligationStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { ReportProgressCommand } from './report-progress.command';

@CommandHandler(ReportProgressCommand)
export class ReportProgressHandler implements ICommandHandler<ReportProgressCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: ReportProgressCommand) {
    return this.executor.execute({
      request,
      id: obligationId,
      streamId: obligationStreamId(obligationId),
      streamType: 'obligation',
      decider: obligationDecider,
      created: false,
      context: (base) => base,
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
