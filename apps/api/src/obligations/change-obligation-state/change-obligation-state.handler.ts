import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { obligationDecider, obligationStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { ChangeObligationStateCommand } from './change-obligation-state.command';

@CommandHandler(ChangeObligationStateCommand)
export class ChangeObligationStateHandler implements ICommandHandler<ChangeObligationStateCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: ChangeObligationStateCommand) {
    return this.executor.execute({
      request,
      id: obligationId,
      streamId: obligationStreamId(obligationId),
      streamType: 'obligation',
      decider: obligationDecider,
      created: false,
      context: (base) => base,
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
