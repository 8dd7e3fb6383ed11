// OpenAPI shape of the obligation read model (API.md "Obligation read model, field by field").
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  DueWithin,
  JsonObject,
  ObligationKind,
  ObligationStatus,
  RateWindow,
  Source,
  Target,
} from '@app/domain';
import {
  DEADLINE_ANCHORS,
  OBLIGATION_KINDS,
  OBLIGATION_STATE_ACTIONS,
  OBLIGATION_STATUSES,
  OBLIGATION_VERIFICATION_OUTCOMES,
  RATE_PERIODS,
} from '@app/domain';
import type { ObligationReadModel, ViolationLevelCounts } from '@app/projections';
import { SourceView } from '../../common/validation/source.dto';
import { ViolationLevelCountsView } from '../../agreements/get-compliance/compliance.view';

export class TargetView {
  @ApiProperty({ example: 600 }) quantity!: number;
  @ApiProperty({ example: 'trucks' }) unit!: string;
  @ApiPropertyOptional({ enum: RATE_PERIODS, description: 'Set for a rate obligation' })
  per?: string;
}

export class DueWithinView {
  @ApiProperty({ example: 72 }) hours!: number;
  @ApiProperty({ enum: DEADLINE_ANCHORS, example: 'agreement_effective' }) after!: string;
}

export class DeadlineAmendmentView {
  @ApiProperty() dueAt!: string;
  @ApiProperty({ type: String, nullable: true }) previousDueAt!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: SourceView, nullable: true }) source!: Source | null;
  @ApiProperty() recordedAt!: string;
}

export class ConditionView {
  @ApiProperty({ example: 'remains' }) obligationId!: string;
  @ApiProperty({ enum: OBLIGATION_STATUSES, nullable: true, example: 'overdue' })
  status!: ObligationStatus | null;
}

export class ClaimView {
  @ApiProperty({ example: 'hamas' }) claimedByPartyId!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: SourceView }) source!: Source;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() recordedAt!: string;
}

export class ObligationDisputeView {
  @ApiProperty() note!: string;
  @ApiProperty({ type: String, nullable: true }) occurredAt!: string | null;
  @ApiProperty({ type: SourceView, nullable: true }) source!: Source | null;
  @ApiProperty() recordedAt!: string;
}

export class ObligationVerificationView extends ObligationDisputeView {
  @ApiProperty({ enum: OBLIGATION_VERIFICATION_OUTCOMES }) outcome!: string;
}

export class DeliveryView {
  @ApiProperty({ example: 4 }) quantity!: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: SourceView }) source!: Source;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() recordedAt!: string;
}

export class StateChangeView {
  @ApiProperty({ enum: OBLIGATION_STATE_ACTIONS }) action!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [String] }) citedViolationIds!: string[];
  @ApiProperty() recordedAt!: string;
}

export class RateWindowView implements RateWindow {
  @ApiProperty({ example: '2025-10-12T00:00:00.000Z' }) start!: string;
  @ApiProperty({ example: '2025-10-13T00:00:00.000Z' }) end!: string;
  @ApiProperty({ example: 450 }) delivered!: number;
  @ApiProperty({ example: 600 }) target!: number;
  @ApiProperty({ example: false }) met!: boolean;
}

export class ObligationView implements ObligationReadModel {
  @ApiPropertyOptional({
    enum: ['replay'],
    description: 'Present when the answer was rebuilt for ?asOf / ?occurredBefore (auditors)',
  })
  generatedFrom?: 'replay';
  @ApiProperty({ example: 'hostages' }) id!: string;
  @ApiProperty({ example: 'gaza-2025-10' }) agreementId!: string;
  @ApiProperty({ example: 'phase-1' }) phaseKey!: string;
  @ApiProperty({ enum: OBLIGATION_KINDS, example: 'hostage_release' }) kind!: ObligationKind;
  @ApiProperty({ example: 'Return of all 20 living hostages within 72 hours' }) title!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Point 4' }) clause!: string | null;
  @ApiProperty({ example: 'hamas' }) responsiblePartyId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'israel' })
  beneficiaryPartyId!: string | null;
  @ApiProperty({ type: TargetView, nullable: true }) target!: Target | null;
  @ApiProperty({ example: 20, description: 'Units delivered so far' }) delivered!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1,
    description: 'delivered / target, null without a target',
  })
  progress!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The effective deadline; null while its anchor has not happened',
  })
  dueAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The first effective deadline' })
  originalDueAt!: string | null;
  @ApiProperty({ type: DueWithinView, nullable: true }) dueWithin!: DueWithin | null;
  @ApiProperty({ type: [DeadlineAmendmentView] })
  deadlineAmendments!: ObligationReadModel['deadlineAmendments'];
  @ApiProperty({ type: [ConditionView] }) conditions!: ObligationReadModel['conditions'];
  @ApiProperty({ enum: OBLIGATION_STATUSES, example: 'fulfilled' }) status!: ObligationStatus;
  @ApiProperty() statusSince!: string;
  @ApiProperty({ type: String, nullable: true }) fulfilledAt!: string | null;
  @ApiProperty({ description: 'Fulfilled after the effective deadline' }) late!: boolean;
  @ApiProperty({ type: [ClaimView] }) claims!: ObligationReadModel['claims'];
  @ApiProperty({ type: [ObligationDisputeView] }) disputes!: ObligationReadModel['disputes'];
  @ApiProperty({ type: [ObligationVerificationView] })
  verifications!: ObligationReadModel['verifications'];
  @ApiPropertyOptional({
    type: [DeliveryView],
    description: 'The delivery log; only on GET /v1/obligations/:id (lists leave it out)',
  })
  deliveries?: ObligationReadModel['deliveries'];
  @ApiProperty({ type: [StateChangeView] }) stateChanges!: ObligationReadModel['stateChanges'];
  @ApiProperty({ type: [SourceView] }) sources!: readonly Source[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  terms!: JsonObject | null;
  @ApiPropertyOptional({
    type: [RateWindowView],
    description:
      'Rate obligations only: complete windows, most recent first (at most 366; list items carry the 30 most recent)',
  })
  windows?: RateWindow[];
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Rate obligations only: met / complete windows; null while none is complete',
  })
  windowComplianceRate?: number | null;
  @ApiProperty({
    type: ViolationLevelCountsView,
    description: 'Violations naming this obligation, by current verification level',
  })
  violations!: ViolationLevelCounts;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the status may next change with time alone',
  })
  nextStatusCheckAt!: string | null;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ example: 3 }) streamVersion!: number;
}
