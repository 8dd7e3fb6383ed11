import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { agreementDecider, agreementStreamId } from '@app/domain';
import { newId } from '@app/shared';
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
      id: tallyId,
      streamId: agreementStreamId(agreementId),
      streamType: 'agreement',
      decider: agreementDecider,
      created: true,
      context: (base) => base,
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
