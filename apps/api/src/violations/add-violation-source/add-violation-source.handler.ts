import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Source, violationDecider, violationStreamId } from '@app/domain';
import { CommandExecutor } from '../../common/writes/command-executor';
import { AddViolationSourceCommand } from './add-violation-source.command';

@CommandHandler(AddViolationSourceCommand)
export class AddViolationSourceHandler implements ICommandHandler<AddViolationSourceCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ violationId, body, request }: AddViolationSourceCommand) {
    const source: Source = {
      name: body.name,
      kind: body.kind,
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.publishedAt !== undefined ? { publishedAt: body.publishedAt } : {}),
      ...(body.independenceGroup !== undefined
        ? { independenceGroup: body.independenceGroup }
        : {}),
    };
    return this.executor.execute({
      request,
      id: violationId,
      streamId: violationStreamId(violationId),
      streamType: 'violation',
      decider: violationDecider,
      created: false,
      context: (base) => base,
      command: { type: 'AddViolationSource', data: { violationId, source } },
    });
  }
}
