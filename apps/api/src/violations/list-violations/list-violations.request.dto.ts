import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { VerificationLevel, ViolationCategory } from '@app/domain';
import { VERIFICATION_LEVELS, VIOLATION_CATEGORIES } from '@app/domain';
import { IdFilter } from '../../reads/id-filter';
import { PageRequest } from '../../reads/page.request.dto';
import { TimeFilter } from '../../reads/time-filter';

export class ListViolationsRequest extends PageRequest {
  @IdFilter('Only reports under this agreement', 'gaza-2025-10')
  agreementId?: string;

  @IdFilter('Only reports alleged against this party', 'israel')
  partyId?: string;

  @ApiPropertyOptional({ enum: VIOLATION_CATEGORIES, example: 'airstrike' })
  @IsOptional()
  @IsIn(VIOLATION_CATEGORIES)
  category?: ViolationCategory;

  @ApiPropertyOptional({ enum: VERIFICATION_LEVELS, example: 'corroborated' })
  @IsOptional()
  @IsIn(VERIFICATION_LEVELS)
  verification?: VerificationLevel;

  @TimeFilter('Reports that occurred at or after this time', '2025-10-10T00:00:00Z')
  from?: string;

  @TimeFilter('Reports that occurred before this time', '2025-11-10T00:00:00Z')
  to?: string;
}
