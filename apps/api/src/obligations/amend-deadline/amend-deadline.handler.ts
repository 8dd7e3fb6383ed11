import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { AmendDeadlineCommand } from './amend-deadline.command';

@CommandHandler(AmendDeadlineCommand)
export class AmendDeadlineHandler implements ICommandHandler<AmendDeadlineCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: AmendDeadlineCommand) {
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: false,
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
