import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StreamReader } from '../../common/writes/stream-reader';
import { toSource } from '../../common/validation/validators';
import { ClaimFulfilmentCommand } from './claim-fulfilment.command';

@CommandHandler(ClaimFulfilmentCommand)
export class ClaimFulfilmentHandler implements ICommandHandler<ClaimFulfilmentCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamReader,
  ) {}

  execute({ obligationId, body, request }: ClaimFulfilmentCommand) {
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: false,
      // The claiming party must belong to the obligation's agreement; an unknown obligation has
      // none, and the decider answers 404 before it looks.
      context: async (base, state) => ({
        ...base,
        agreement:
          state.stage === 'registered'
            ? await this.streams.agreementFacts(state.agreementId)
            : null,
      }),
      command: {
        type: 'ClaimFulfilment',
        data: {
          obligationId,
          claimedByPartyId: body.claimedByPartyId,
          occurredAt: body.occurredAt,
          source: toSource(body.source),
          note: body.note ?? null,
        },
      },
    });
  }
}
