import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, VIOLATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { ReviseCasualtiesCommand } from './revise-casualties.command';

@CommandHandler(ReviseCasualtiesCommand)
export class ReviseCasualtiesHandler implements ICommandHandler<ReviseCasualtiesCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ violationId, body, request }: ReviseCasualtiesCommand) {
    return this.executor.execute({
      request,
      ...streamOf(VIOLATION, violationId),
      created: false,
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
