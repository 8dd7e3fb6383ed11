import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, VIOLATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { RetractViolationCommand } from './retract-violation.command';

@CommandHandler(RetractViolationCommand)
export class RetractViolationHandler implements ICommandHandler<RetractViolationCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  // Who may retract (the reporting key or an admin) is the decider's rule, checked against the
  // actor in the context.
  execute({ violationId, body, request }: RetractViolationCommand) {
    return this.executor.execute({
      request,
      ...streamOf(VIOLATION, violationId),
      created: false,
      command: { type: 'RetractViolation', data: { violationId, reason: body.reason } },
    });
  }
}
