import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { violationDecider, violationStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { ReviseCasualtiesCommand } from './revise-casualties.command';

@CommandHandler(ReviseCasualtiesCommand)
export class ReviseCasualtiesHandler implements ICommandHandler<ReviseCasualtiesCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ violationId, body, request }: ReviseCasualtiesCommand) {
    return this.executor.execute({
      request,
      id: violationId,
      streamId: violationStreamId(violationId),
      streamType: 'violation',
      decider: violationDecider,
      created: false,
      context: (base) => base,
      command: {
        type: 'ReviseCasualties',
        data: {
          violationId,
          killed: body.killed,
          injured: body.injured,
          reason: body.reason,
          source: toSource(body.source),
        },
      },
    });
  }
}
