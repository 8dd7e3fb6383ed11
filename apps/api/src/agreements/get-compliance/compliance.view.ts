// OpenAPI shape of the compliance figures (API.md "Compliance result", "Compliance figures").
import { ApiProperty } from '@nestjs/swagger';
import type {
  ComplianceReadModel,
  ObligationStatusCounts,
  PartyCompliance,
  PhaseCompliance,
  TallyReadModel,
} from '@app/projections';
import type { Source, VerificationLevel } from '@app/domain';
import { SourceView } from '../../common/validation/source.dto';

export class ObligationStatusCountsView implements ObligationStatusCounts {
  @ApiProperty({ example: 5 }) total!: number;
  @ApiProperty({ example: 0 }) pending!: number;
  @ApiProperty({ example: 1 }) blocked!: number;
  @ApiProperty({ example: 0 }) in_progress!: number;
  @ApiProperty({ example: 2 }) overdue!: number;
  @ApiProperty({ example: 0 }) disputed!: number;
  @ApiProperty({ example: 1 }) fulfilled!: number;
  @ApiProperty({ example: 1 }) fulfilled_late!: number;
  @ApiProperty({ example: 0 }) breached!: number;
  @ApiProperty({ example: 0 }) suspended!: number;
  @ApiProperty({ example: 0 }) waived!: number;
}

export class ViolationLevelCountsView implements Record<VerificationLevel, number> {
  @ApiProperty({ example: 3 }) reported!: number;
  @ApiProperty({ example: 1 }) corroborated!: number;
  @ApiProperty({ example: 0 }) confirmed!: number;
  @ApiProperty({ example: 1 }) contested!: number;
  @ApiProperty({ example: 1 }) discounted!: number;
  @ApiProperty({ example: 0 }) retracted!: number;
}

export class TallyView implements TallyReadModel {
  @ApiProperty({
    type: SourceView,
    description: 'The source, as its newest tally (by asOf) recorded it: always a Source object',
  })
  source!: Source;
  @ApiProperty({ example: '2026-01-25T00:00:00.000Z' }) asOf!: string;
  @ApiProperty({ example: 484 }) killed!: number;
  @ApiProperty({ example: 1321 }) injured!: number;
}

export class CasualtiesView {
  @ApiProperty({ example: 6 }) killed!: number;
  @ApiProperty({ example: 4 }) injured!: number;
}

export class RateObligationComplianceView {
  @ApiProperty({ example: 'aid-trucks' }) obligationId!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.5,
    description: 'met / complete windows; null while no window is complete',
  })
  windowComplianceRate!: number | null;
}

export class PartyComplianceView implements PartyCompliance {
  @ApiProperty({ example: 'hamas' }) partyId!: string;
  @ApiProperty({ type: ObligationStatusCountsView, description: 'By current status' })
  obligations!: ObligationStatusCounts;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.5,
    description:
      "(fulfilled + fulfilled_late) / D, D = the party's non-rate, non-waived obligations due by now or already fulfilled; null when D is 0",
  })
  complianceRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.5, description: 'fulfilled / D' })
  onTimeRate!: number | null;
  @ApiProperty({ type: [RateObligationComplianceView] })
  rateObligations!: PartyCompliance['rateObligations'];
  @ApiProperty({
    type: ViolationLevelCountsView,
    description: 'Reports alleged against the party, by current verification level',
  })
  violations!: Record<VerificationLevel, number>;
  @ApiProperty({
    type: CasualtiesView,
    description: 'Sum over incident reports that are neither discounted nor retracted',
  })
  casualties!: { killed: number; injured: number };
  @ApiProperty({
    type: [TallyView],
    description: 'The newest tally of each source attributed to the party (never added up)',
  })
  latestTallies!: TallyReadModel[];
}

export class PhaseComplianceView implements PhaseCompliance {
  @ApiProperty({ example: 'phase-1' }) key!: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-10-10T09:00:00.000Z' })
  startedAt!: string | null;
  @ApiProperty({ type: ObligationStatusCountsView }) obligations!: ObligationStatusCounts;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.4,
    description: '(fulfilled + fulfilled_late) / non-waived obligations; null for an empty phase',
  })
  progress!: number | null;
}

export class ComplianceView implements ComplianceReadModel {
  @ApiProperty({ example: 'gaza-2025-10' }) agreementId!: string;
  @ApiProperty({ description: 'The time the figures are computed at (the request time)' })
  asOf!: string;
  @ApiProperty({ enum: ['projection', 'replay'], example: 'projection' })
  generatedFrom!: 'projection' | 'replay';
  @ApiProperty({
    description: 'The feed position every projection behind these figures has reached',
  })
  lastPosition!: number;
  @ApiProperty({ type: [PartyComplianceView] }) parties!: PartyCompliance[];
  @ApiProperty({
    type: [TallyView],
    description: 'Newest tally of each source attributed to no party',
  })
  tallies!: TallyReadModel[];
  @ApiProperty({ type: [PhaseComplianceView] }) phases!: PhaseCompliance[];
}
