import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Source } from '@app/domain';
import { streamOf, VIOLATION } from '../../common/writes/aggregates';
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
      ...streamOf(VIOLATION, violationId),
      created: false,
      command: { type: 'AddViolationSource', data: { violationId, source } },
    });
  }
}
