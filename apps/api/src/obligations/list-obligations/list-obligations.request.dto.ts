import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ObligationKind, ObligationStatus } from '@app/domain';
import { OBLIGATION_KINDS, OBLIGATION_STATUSES } from '@app/domain';
import { IdFilter } from '../../reads/id-filter';
import { PageRequest } from '../../reads/page.request.dto';

export class ListObligationsRequest extends PageRequest {
  @IdFilter('Only obligations of this agreement', 'gaza-2025-10')
  agreementId?: string;

  @IdFilter('Only obligations this party is responsible for', 'hamas')
  partyId?: string;

  @IdFilter('Only obligations of this phase', 'phase-1')
  phaseKey?: string;

  @ApiPropertyOptional({ enum: OBLIGATION_STATUSES, example: 'overdue' })
  @IsOptional()
  @IsIn(OBLIGATION_STATUSES)
  status?: ObligationStatus;

  @ApiPropertyOptional({ enum: OBLIGATION_KINDS, example: 'hostage_release' })
  @IsOptional()
  @IsIn(OBLIGATION_KINDS)
  kind?: ObligationKind;
}
