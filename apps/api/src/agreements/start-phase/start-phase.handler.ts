import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { agreementDecider, agreementStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StartPhaseCommand } from './start-phase.command';

@CommandHandler(StartPhaseCommand)
export class StartPhaseHandler implements ICommandHandler<StartPhaseCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ agreementId, phaseKey, body, request }: StartPhaseCommand) {
    return this.executor.execute({
      request,
      id: agreementId,
      streamId: agreementStreamId(agreementId),
      streamType: 'agreement',
      decider: agreementDecider,
      created: false,
      context: (base) => base,
      command: { type: 'StartPhase', data: { agreementId, phaseKey, startedAt: body.startedAt } },
    });
  }
}
