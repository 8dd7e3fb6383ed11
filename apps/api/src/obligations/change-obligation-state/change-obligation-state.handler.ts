import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { ChangeObligationStateCommand } from './change-obligation-state.command';

@CommandHandler(ChangeObligationStateCommand)
export class ChangeObligationStateHandler implements ICommandHandler<ChangeObligationStateCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: ChangeObligationStateCommand) {
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: false,
      command: {
        type: 'ChangeObligationState',
        data: {
          obligationId,
          action: body.action,
          reason: body.reason,
          citedViolationIds: body.citedViolationIds ?? [],
        },
      },
    });
  }
}
