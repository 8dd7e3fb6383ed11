// One watched agreement: its open streams and the statuses and levels as of the last look at the
// projection rows, so that each look becomes the changes since the previous one, worked out once
// for all of the agreement's streams.
import type { ObligationStatus, VerificationLevel } from '@app/domain';
import type { ObligationStatusRow, ViolationLevelRow } from '@app/projections';
import type { LiveStream } from './live-stream';
import type { ObligationStatusChange, ViolationLevelChange } from './live-message.view';

export class AgreementWatch {
  readonly streams = new Set<LiveStream>();
  private readonly statuses = new Map<string, ObligationStatusRow>();
  /** The earliest moment a status of the agreement may change with no event (ms; null: none). */
  private nextStatusCheck: number | null = null;

  constructor(
    readonly agreementId: string,
    obligations: readonly ObligationStatusRow[],
    private readonly levels: Map<string, VerificationLevel>,
  ) {
    this.obligationChanges(obligations);
  }

  /**
   * Whether a status may have moved with time since the last look: a check time has passed, so
   * the worker's sweep recomputes (or soon will) with no event to tell of it.
   */
  statusesDueBy(now: number): boolean {
    return this.nextStatusCheck !== null && this.nextStatusCheck <= now;
  }

  /** Obligations whose status differs from the last one seen (new obligations included). */
  obligationChanges(rows: readonly ObligationStatusRow[]): ObligationStatusChange[] {
    const changes: ObligationStatusChange[] = [];
    for (const row of rows) {
      const previousStatus: ObligationStatus | null = this.statuses.get(row.id)?.status ?? null;
      this.statuses.set(row.id, row);
      if (previousStatus !== row.status) changes.push({ ...row, previousStatus });
    }
    const checks = [...this.statuses.values()]
      .filter((r) => r.nextStatusCheckAt !== null)
      .map((r) => Date.parse(r.nextStatusCheckAt as string));
    this.nextStatusCheck = checks.length > 0 ? Math.min(...checks) : null;
    return changes;
  }

  /** A new report: its level is the one later changes are measured from. */
  reported(violationId: string, level: VerificationLevel): void {
    this.levels.set(violationId, level);
  }

  /** Violations whose level differs from the last one seen. */
  levelChanges(rows: readonly ViolationLevelRow[]): ViolationLevelChange[] {
    const changes: ViolationLevelChange[] = [];
    for (const row of rows) {
      const previousVerification = this.levels.get(row.id) ?? null;
      this.levels.set(row.id, row.verification);
      if (previousVerification !== row.verification) changes.push({ ...row, previousVerification });
    }
    return changes;
  }
}
