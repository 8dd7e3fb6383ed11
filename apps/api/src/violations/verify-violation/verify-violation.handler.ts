import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { violationDecider, violationStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { VerifyViolationCommand } from './verify-violation.command';

@CommandHandler(VerifyViolationCommand)
export class VerifyViolationHandler implements ICommandHandler<VerifyViolationCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ violationId, body, request }: VerifyViolationCommand) {
    return this.executor.execute({
      request,
      id: violationId,
      streamId: violationStreamId(violationId),
      streamType: 'violation',
      decider: violationDecider,
      created: false,
      context: (base) => base,
      command: {
        type: 'VerifyViolation',
        data: { violationId, outcome: body.outcome, note: body.note },
      },
    });
  }
}
