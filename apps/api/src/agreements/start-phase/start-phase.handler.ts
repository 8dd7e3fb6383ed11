import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, AGREEMENT } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StartPhaseCommand } from './start-phase.command';

@CommandHandler(StartPhaseCommand)
export class StartPhaseHandler implements ICommandHandler<StartPhaseCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ agreementId, phaseKey, body, request }: StartPhaseCommand) {
    return this.executor.execute({
      request,
      ...streamOf(AGREEMENT, agreementId),
      created: false,
      command: { type: 'StartPhase', data: { agreementId, phaseKey, startedAt: body.startedAt } },
    });
  }
}
