// Cross-stream facts for command contexts: the agreement's facts, other obligations. Read from
// the streams themselves (never from projections, which may lag).
import { Injectable } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import {
  AgreementEvent,
  AgreementFacts,
  agreementDecider,
  agreementFacts,
  agreementStreamId,
  AgreementState,
  obligationDecider,
  ObligationState,
  obligationStreamId,
  violationDecider,
  ViolationState,
  violationStreamId,
} from '@app/domain';
import { CommandExecutor } from './command-executor';

const FACTS_CACHE_SIZE = 10_000;

@Injectable()
export class StreamReader {
  /** Agreement facts never change once registered (no command edits parties, phases or effectiveAt). */
  private readonly facts = new Map<string, AgreementFacts>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly store: EventStore,
  ) {}

  async agreement(agreementId: string): Promise<AgreementState> {
    return (await this.executor.load(agreementStreamId(agreementId), agreementDecider)).state;
  }

  /**
   * The agreement's facts, or null when it does not exist. They all come from its first event, so
   * only that is read (the stream grows with every casualty tally), and they are cached.
   */
  async agreementFacts(agreementId: string): Promise<AgreementFacts | null> {
    const cached = this.facts.get(agreementId);
    if (cached) return cached;
    const [registered] = await this.store.readStream(agreementStreamId(agreementId), {
      toVersion: 1,
    });
    const facts = registered
      ? agreementFacts(
          agreementDecider.evolve(
            agreementDecider.initialState(),
            registered as unknown as AgreementEvent,
          ),
        )
      : null;
    if (facts) {
      if (this.facts.size >= FACTS_CACHE_SIZE)
        this.facts.delete(this.facts.keys().next().value as string);
      this.facts.set(agreementId, facts);
    }
    return facts;
  }

  async obligation(obligationId: string): Promise<ObligationState> {
    return (await this.executor.load(obligationStreamId(obligationId), obligationDecider)).state;
  }

  async violation(violationId: string): Promise<ViolationState> {
    return (await this.executor.load(violationStreamId(violationId), violationDecider)).state;
  }

  /** Of the named obligations, those that exist and belong to the agreement. */
  obligationsOf(agreementId: string, obligationIds: readonly string[]): Promise<string[]> {
    return this.ofAgreement(agreementId, obligationIds, (id) => this.obligation(id));
  }

  /** Of the named violation reports, those that exist and are on the agreement. */
  violationsOf(agreementId: string, violationIds: readonly string[]): Promise<string[]> {
    return this.ofAgreement(agreementId, violationIds, (id) => this.violation(id));
  }

  private async ofAgreement(
    agreementId: string,
    ids: readonly string[],
    load: (id: string) => Promise<ObligationState | ViolationState>,
  ): Promise<string[]> {
    const states = await Promise.all(ids.map(load));
    return ids.filter((_, i) => {
      const state = states[i];
      return state.stage !== 'initial' && state.agreementId === agreementId;
    });
  }
}
