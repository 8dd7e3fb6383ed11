import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { agreementDecider, agreementStreamId } from '@app/domain';
import { newId } from '@app/shared';
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
      id: agreementId,
      streamId: agreementStreamId(agreementId),
      streamType: 'agreement',
      decider: agreementDecider,
      created: true,
      newStream: body.id === undefined,
      context: (base) => base,
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
