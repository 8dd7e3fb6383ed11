import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@app/shared';
import { streamOf, AGREEMENT } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { toSource } from '../../common/validation/validators';
import { RegisterAgreementCommand } from './register-agreement.command';

@CommandHandler(RegisterAgreementCommand)
export class RegisterAgreementHandler implements ICommandHandler<RegisterAgreementCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ body, request }: RegisterAgreementCommand) {
    const agreementId = body.id ?? newId();
    return this.executor.execute({
      request,
      ...streamOf(AGREEMENT, agreementId),
      created: true,
      newStream: body.id === undefined,
      command: {
        type: 'RegisterAgreement',
        data: {
          agreementId,
          title: body.title,
          effectiveAt: body.effectiveAt,
          signedAt: body.signedAt ?? null,
          parties: body.parties.map((p) => ({ id: p.id, name: p.name, role: p.role })),
          phases: body.phases.map((p) => ({
            key: p.key,
            title: p.title,
            startsAt: p.startsAt ?? null,
          })),
          sources: (body.sources ?? []).map(toSource),
        },
      },
    });
  }
}
