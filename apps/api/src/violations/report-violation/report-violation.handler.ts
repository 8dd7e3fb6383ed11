import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@app/shared';
import { streamOf, VIOLATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StreamReader } from '../../common/writes/stream-reader';
import { toSource } from '../../common/validation/validators';
import { ReportViolationCommand } from './report-violation.command';

@CommandHandler(ReportViolationCommand)
export class ReportViolationHandler implements ICommandHandler<ReportViolationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamReader,
  ) {}

  execute({ body, request }: ReportViolationCommand) {
    const violationId = body.id ?? newId();
    const relatedObligationIds = body.relatedObligationIds ?? [];
    return this.executor.execute({
      request,
      ...streamOf(VIOLATION, violationId),
      created: true,
      newStream: body.id === undefined,
      context: async (base) => ({
        ...base,
        agreement: await this.streams.agreementFacts(body.agreementId),
        agreementObligationIds: await this.streams.obligationsOf(
          body.agreementId,
          relatedObligationIds,
        ),
      }),
      command: {
        type: 'ReportViolation',
        data: {
          violationId,
          agreementId: body.agreementId,
          occurredAt: body.occurredAt,
          location: {
            name: body.location.name,
            precision: body.location.precision,
            ...(body.location.lat !== undefined && body.location.lon !== undefined
              ? { lat: body.location.lat, lon: body.location.lon }
              : {}),
          },
          category: body.category,
          allegedPartyId: body.allegedPartyId,
          description: body.description,
          casualties: body.casualties
            ? { killed: body.casualties.killed, injured: body.casualties.injured }
            : null,
          sources: body.sources.map(toSource),
          relatedObligationIds,
        },
      },
    });
  }
}
