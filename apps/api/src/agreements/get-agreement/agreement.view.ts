// OpenAPI shape of the agreement read model (libs/projections read/agreements.read.ts).
import { ApiProperty } from '@nestjs/swagger';
import type { AgreementPhase, Party, Source } from '@app/domain';
import { PARTY_ROLES } from '@app/domain';
import type { AgreementReadModel } from '@app/projections';
import { SourceView } from '../../common/validation/source.dto';

export class PartyView {
  @ApiProperty({ example: 'israel' }) id!: string;
  @ApiProperty({ example: 'Israel' }) name!: string;
  @ApiProperty({ enum: PARTY_ROLES, example: 'signatory' }) role!: Party['role'];
}

export class PhaseView {
  @ApiProperty({ example: 'phase-1' }) key!: string;
  @ApiProperty({ example: 'Phase 1: ceasefire, exchange, Rafah' }) title!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The planned start, if any' })
  startsAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2025-10-10T09:00:00.000Z',
    description: 'When the phase was started; null while it has not',
  })
  startedAt!: string | null;
}

export class AgreementView implements AgreementReadModel {
  @ApiProperty({ example: 'gaza-2025-10' }) id!: string;
  @ApiProperty({ example: 'Gaza ceasefire and hostage-prisoner exchange (October 2025)' })
  title!: string;
  @ApiProperty({ example: '2025-10-10T09:00:00.000Z' }) effectiveAt!: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-10-09T00:00:00.000Z' })
  signedAt!: string | null;
  @ApiProperty({ type: [PartyView] }) parties!: Party[];
  @ApiProperty({ type: [PhaseView] }) phases!: AgreementPhase[];
  @ApiProperty({ type: [SourceView] }) sources!: Source[];
  @ApiProperty({ example: 4 }) obligationCount!: number;
  @ApiProperty({ example: 12 }) violationCount!: number;
  @ApiProperty({ description: 'When the agreement was registered' }) registeredAt!: string;
  @ApiProperty({
    description: 'The latest change to the agreement, its obligations or its violations',
  })
  updatedAt!: string;
  @ApiProperty({ example: 2 }) streamVersion!: number;
}
