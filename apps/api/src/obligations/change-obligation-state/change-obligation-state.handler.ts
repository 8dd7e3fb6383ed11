import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StreamReader } from '../../common/writes/stream-reader';
import { ChangeObligationStateCommand } from './change-obligation-state.command';

@CommandHandler(ChangeObligationStateCommand)
export class ChangeObligationStateHandler implements ICommandHandler<ChangeObligationStateCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamReader,
  ) {}

  execute({ obligationId, body, request }: ChangeObligationStateCommand) {
    const cited = body.citedViolationIds ?? [];
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: false,
      // Cited reports are checked against the obligation's agreement; an unknown obligation has
      // none (the decider answers 404 before looking).
      context: async (base, state) => ({
        ...base,
        agreementViolationIds:
          state.stage === 'initial' || cited.length === 0
            ? []
            : await this.streams.violationsOf(state.agreementId, cited),
      }),
      command: {
        type: 'ChangeObligationState',
        data: {
          obligationId,
          action: body.action,
          reason: body.reason,
          citedViolationIds: cited,
        },
      },
    });
  }
}
