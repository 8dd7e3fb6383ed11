import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, VIOLATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { VerifyViolationCommand } from './verify-violation.command';

@CommandHandler(VerifyViolationCommand)
export class VerifyViolationHandler implements ICommandHandler<VerifyViolationCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ violationId, body, request }: VerifyViolationCommand) {
    return this.executor.execute({
      request,
      ...streamOf(VIOLATION, violationId),
      created: false,
      command: {
        type: 'VerifyViolation',
        data: { violationId, outcome: body.outcome, note: body.note },
      },
    });
  }
}
