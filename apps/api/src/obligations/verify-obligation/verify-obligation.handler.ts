import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { VerifyObligationCommand } from './verify-obligation.command';

@CommandHandler(VerifyObligationCommand)
export class VerifyObligationHandler implements ICommandHandler<VerifyObligationCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ obligationId, body, request }: VerifyObligationCommand) {
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: false,
      command: {
        type: 'VerifyObligation',
        data: {
          obligationId,
          outcome: body.outcome,
          note: body.note,
          occurredAt: body.occurredAt ?? null,
          source: body.source == null ? null : toSource(body.source),
        },
      },
    });
  }
}
