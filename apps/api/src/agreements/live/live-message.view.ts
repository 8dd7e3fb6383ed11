// What GET /v1/agreements/:id/live sends: four kinds of message (the SSE `event:` field) and the
// OpenAPI shape of the two that are not read models of their own.
import { ApiProperty } from '@nestjs/swagger';
import type { ObligationStatus, VerificationLevel } from '@app/domain';
import { OBLIGATION_STATUSES, VERIFICATION_LEVELS } from '@app/domain';
import type {
  ComplianceReadModel,
  ObligationStatusRow,
  ViolationLevelRow,
  ViolationReadModel,
} from '@app/projections';

export interface ObligationStatusChange extends ObligationStatusRow {
  /** null for an obligation this stream has not told about yet. */
  previousStatus: ObligationStatus | null;
}

export interface ViolationLevelChange extends ViolationLevelRow {
  /** null when this stream does not know the level it had. */
  previousVerification: VerificationLevel | null;
}

export type LiveMessage =
  | { event: 'violation.reported'; data: ViolationReadModel }
  | { event: 'violation.level'; data: ViolationLevelChange }
  | { event: 'obligation.status'; data: ObligationStatusChange }
  | { event: 'compliance'; data: ComplianceReadModel };

export class ObligationStatusChangeView implements ObligationStatusChange {
  @ApiProperty({ example: 'rafah-crossing' }) id!: string;
  @ApiProperty({ example: 'gaza-2025-10' }) agreementId!: string;
  @ApiProperty({ example: 'phase-1' }) phaseKey!: string;
  @ApiProperty({ example: 'israel' }) responsiblePartyId!: string;
  @ApiProperty({ example: 'Reopen the Rafah crossing' }) title!: string;
  @ApiProperty({ enum: OBLIGATION_STATUSES, example: 'overdue' }) status!: ObligationStatus;
  @ApiProperty({
    enum: OBLIGATION_STATUSES,
    nullable: true,
    example: 'pending',
    description:
      'The status this stream last sent; null for a new obligation and in the statuses a resumed stream starts with',
  })
  previousStatus!: ObligationStatus | null;
  @ApiProperty({ example: '2025-10-20T09:00:00.000Z' }) statusSince!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2025-10-20T09:00:00.000Z',
    description: 'The effective deadline',
  })
  dueAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2025-10-20T09:00:00.000Z',
    description: 'When the status may next change with no new event (a deadline passing)',
  })
  nextStatusCheckAt!: string | null;
}

export class ViolationLevelChangeView implements ViolationLevelChange {
  @ApiProperty({ example: 'strike-khan-younis' }) id!: string;
  @ApiProperty({ example: 'gaza-2025-10' }) agreementId!: string;
  @ApiProperty({ example: 'israel' }) allegedPartyId!: string;
  @ApiProperty({ enum: VERIFICATION_LEVELS, example: 'confirmed' })
  verification!: VerificationLevel;
  @ApiProperty({
    enum: VERIFICATION_LEVELS,
    nullable: true,
    example: 'corroborated',
    description:
      'The level this stream last sent; null when it sent none (a resumed stream restates the level of every report touched while it was away)',
  })
  previousVerification!: VerificationLevel | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'footage geolocated',
    description:
      'The note of the verdict that sets the level: the latest discount, else the latest confirmation',
  })
  verificationNote!: string | null;
  @ApiProperty({ example: '2025-10-13T12:00:00.000Z' }) updatedAt!: string;
  @ApiProperty({ example: 3 }) streamVersion!: number;
}
