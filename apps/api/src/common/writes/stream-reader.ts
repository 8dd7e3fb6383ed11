// Cross-stream facts for command contexts: the agreement's facts, other obligations. Read from
// the streams themselves (never from projections, which may lag).
import { Injectable } from '@nestjs/common';
import {
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

@Injectable()
export class StreamReader {
  constructor(private readonly executor: CommandExecutor) {}

  async agreement(agreementId: string): Promise<AgreementState> {
    return (await this.executor.load(agreementStreamId(agreementId), agreementDecider)).state;
  }

  /** The agreement's facts, or null when it does not exist. */
  async agreementFacts(agreementId: string): Promise<AgreementFacts | null> {
    return agreementFacts(await this.agreement(agreementId));
  }

  async obligation(obligationId: string): Promise<ObligationState> {
    return (await this.executor.load(obligationStreamId(obligationId), obligationDecider)).state;
  }

  async violation(violationId: string): Promise<ViolationState> {
    return (await this.executor.load(violationStreamId(violationId), violationDecider)).state;
  }
}
