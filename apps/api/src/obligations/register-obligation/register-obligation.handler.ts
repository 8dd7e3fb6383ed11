import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Target } from '@app/domain';
import { newId } from '@app/shared';
import { streamOf, OBLIGATION } from '../../common/writes/aggregates';
import { CommandExecutor } from '../../common/writes/command-executor';
import { StreamReader } from '../../common/writes/stream-reader';
import { toSource } from '../../common/validation/validators';
import { RegisterObligationCommand } from './register-obligation.command';
import type { ObligationTargetRequest } from './register-obligation.request.dto';

interface ConditionNode {
  obligationId: string;
  conditions: readonly string[];
}

function toTarget(target: ObligationTargetRequest): Target {
  // The decider tells a rate obligation by `per` being present, so an absent `per` stays absent.
  return target.per == null
    ? { quantity: target.quantity, unit: target.unit }
    : { quantity: target.quantity, unit: target.unit, per: target.per };
}

@CommandHandler(RegisterObligationCommand)
export class RegisterObligationHandler implements ICommandHandler<RegisterObligationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly streams: StreamReader,
  ) {}

  execute({ agreementId, body, request }: RegisterObligationCommand) {
    const obligationId = body.id ?? newId();
    const conditions = body.conditions ?? [];
    return this.executor.execute({
      request,
      ...streamOf(OBLIGATION, obligationId),
      created: true,
      newStream: body.id === undefined,
      context: async (base) => {
        const agreement = await this.streams.agreementFacts(agreementId);
        const agreementObligations = agreement
          ? await this.conditionGraph(agreementId, conditions)
          : [];
        return { ...base, agreement, agreementObligations };
      },
      command: {
        type: 'RegisterObligation',
        data: {
          obligationId,
          agreementId,
          phaseKey: body.phaseKey,
          kind: body.kind,
          title: body.title,
          description: body.description ?? null,
          clause: body.clause ?? null,
          responsiblePartyId: body.responsiblePartyId,
          beneficiaryPartyId: body.beneficiaryPartyId ?? null,
          dueAt: body.dueAt ?? null,
          dueWithin: body.dueWithin
            ? { hours: body.dueWithin.hours, after: body.dueWithin.after }
            : null,
          target: body.target ? toTarget(body.target) : null,
          conditions,
          terms: body.terms ?? null,
          sources: (body.sources ?? []).map(toSource),
        },
      },
    });
  }

  /**
   * The named conditions and, transitively, their own conditions, as far as they are obligations
   * of this agreement: what the decider needs to refuse unknown conditions, conditions of another
   * agreement and cycles. Read from the streams, level by level.
   */
  private async conditionGraph(
    agreementId: string,
    conditions: readonly string[],
  ): Promise<ConditionNode[]> {
    const nodes: ConditionNode[] = [];
    const seen = new Set<string>();
    let frontier = [...new Set(conditions)];
    while (frontier.length > 0) {
      frontier.forEach((id) => seen.add(id));
      const states = await Promise.all(frontier.map((id) => this.streams.obligation(id)));
      const next = new Set<string>();
      for (const state of states) {
        if (state.stage !== 'registered' || state.agreementId !== agreementId) continue;
        nodes.push({ obligationId: state.id, conditions: state.conditions });
        for (const condition of state.conditions) if (!seen.has(condition)) next.add(condition);
      }
      frontier = [...next];
    }
    return nodes;
  }
}
