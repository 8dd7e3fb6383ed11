import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { obligationDecider, obligationStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { AmendDeadlineCommand } from './amend-deadline.command';

@CommandHandler(AmendDeadlineCommand)
export class AmendDeadlineHandler implements ICommandHandler<AmendDeadlineCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: AmendDeadlineCommand) {
    return this.executor.execute({
      request,
      id: obligationId,
      streamId: obligationStreamId(obligationId),
      streamType: 'obligation',
      decider: obligationDecider,
      created: false,
      context: (base) => base,
      command: {
        type: 'AmendDeadline',
        data: {
          obligationId,
          dueAt: body.dueAt,
          reason: body.reason,
          source: body.source == null ? null : toSource(body.source),
        },
      },
    });
  }
}
