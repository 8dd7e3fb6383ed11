// OpenAPI shape of the violation read model (API.md "Violation read model").
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  Casualties,
  Reporter,
  Source,
  VerificationLevel,
  ViolationCategory,
  ViolationLocation,
} from '@app/domain';
import { LOCATION_PRECISIONS, VERIFICATION_LEVELS, VIOLATION_CATEGORIES } from '@app/domain';
import type { ViolationReadModel } from '@app/projections';
import { SourceView } from '../../common/validation/source.dto';

export class LocationView {
  @ApiProperty({ example: 'Gaza City' }) name!: string;
  @ApiPropertyOptional({ example: 31.5017 }) lat?: number;
  @ApiPropertyOptional({ example: 34.4668 }) lon?: number;
  @ApiProperty({ enum: LOCATION_PRECISIONS, example: 'approximate' }) precision!: string;
}

export class CasualtyFiguresView {
  @ApiProperty({ example: 1 }) killed!: number;
  @ApiProperty({ example: 4 }) injured!: number;
}

export class CasualtyRevisionView extends CasualtyFiguresView {
  @ApiProperty() reason!: string;
  @ApiProperty({ type: SourceView }) source!: Source;
  @ApiProperty() recordedAt!: string;
}

export class ViolationDisputeView {
  @ApiProperty({ example: 'hamas' }) partyId!: string;
  @ApiProperty() statement!: string;
  @ApiProperty({ type: SourceView, nullable: true }) source!: Source | null;
  @ApiProperty() recordedAt!: string;
}

export class RetractionView {
  @ApiProperty() reason!: string;
  @ApiProperty() recordedAt!: string;
}

export class ReporterView {
  @ApiProperty() keyId!: string;
  @ApiProperty({ example: 'Field monitor' }) name!: string;
}

export class ViolationView implements ViolationReadModel {
  @ApiPropertyOptional({
    enum: ['replay'],
    description: 'Present when the answer was rebuilt for ?asOf / ?occurredBefore (auditors)',
  })
  generatedFrom?: 'replay';
  @ApiProperty({ example: 'v-gaza-city' }) id!: string;
  @ApiProperty({ example: 'gaza-2025-10' }) agreementId!: string;
  @ApiProperty({ example: '2025-10-28T18:30:00.000Z' }) occurredAt!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: LocationView }) location!: ViolationLocation;
  @ApiProperty({ enum: VIOLATION_CATEGORIES, example: 'airstrike' }) category!: ViolationCategory;
  @ApiProperty({ example: 'israel' }) allegedPartyId!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: CasualtyFiguresView, description: 'The current figures' })
  casualties!: Casualties;
  @ApiProperty({ type: [CasualtyRevisionView] })
  casualtyRevisions!: ViolationReadModel['casualtyRevisions'];
  @ApiProperty({ type: [SourceView] }) sources!: readonly Source[];
  @ApiProperty({ type: [ViolationDisputeView] }) disputes!: ViolationReadModel['disputes'];
  @ApiProperty({ enum: VERIFICATION_LEVELS, example: 'corroborated' })
  verification!: VerificationLevel;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The note of the verdict that sets the level: the latest discount, else the latest confirmation',
  })
  verificationNote!: string | null;
  @ApiProperty({ type: RetractionView, nullable: true })
  retraction!: ViolationReadModel['retraction'];
  @ApiProperty({ type: [String] }) relatedObligationIds!: readonly string[];
  @ApiProperty({ type: ReporterView }) reportedBy!: Reporter;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ example: 2 }) streamVersion!: number;
}
