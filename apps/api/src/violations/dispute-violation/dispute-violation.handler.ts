import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, VIOLATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StreamReader } from '../../common/writes/stream-reader';
import { toSource } from '../../common/validation/validators';
import { DisputeViolationCommand } from './dispute-violation.command';

@CommandHandler(DisputeViolationCommand)
export class DisputeViolationHandler implements ICommandHandler<DisputeViolationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamReader,
  ) {}

  execute({ violationId, body, request }: DisputeViolationCommand) {
    return this.executor.execute({
      request,
      ...streamOf(VIOLATION, violationId),
      created: false,
      // The disputing party is checked against the agreement the report belongs to; an unknown
      // report has none (the decider answers 404 before looking).
      context: async (base, state) => ({
        ...base,
        agreement:
          state.stage === 'reported' ? await this.streams.agreementFacts(state.agreementId) : null,
      }),
      command: {
        type: 'DisputeViolation',
        data: {
          violationId,
          partyId: body.partyId,
          statement: body.statement,
          source: body.source !== undefined ? toSource(body.source) : null,
        },
      },
    });
  }
}
