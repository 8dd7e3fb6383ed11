import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@app/shared';
import { streamOf, AGREEMENT } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { RecordCasualtyTallyCommand } from './record-casualty-tally.command';

@CommandHandler(RecordCasualtyTallyCommand)
export class RecordCasualtyTallyHandler implements ICommandHandler<RecordCasualtyTallyCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ agreementId, body, request }: RecordCasualtyTallyCommand) {
    const tallyId = newId();
    return this.executor.execute({
      request,
      ...streamOf(AGREEMENT, agreementId),
      id: tallyId, // the answer names the tally, which lives on the agreement's stream
      created: true,
      command: {
        type: 'RecordCasualtyTally',
        data: {
          agreementId,
          tallyId,
          source: toSource(body.source),
          asOf: body.asOf,
          killed: body.killed,
          injured: body.injured,
          attributedToPartyId: body.attributedToPartyId ?? null,
          note: body.note ?? null,
        },
      },
    });
  }
}
