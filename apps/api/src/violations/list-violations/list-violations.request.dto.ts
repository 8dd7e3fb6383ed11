import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { VerificationLevel, ViolationCategory } from '@app/domain';
import { VERIFICATION_LEVELS, VIOLATION_CATEGORIES } from '@app/domain';
import { IsIsoDateTimeWithZone } from '../../common/validation/validators';
import { IdFilter } from '../../reads/id-filter';
import { PageRequest } from '../../reads/page.request.dto';

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

  @ApiPropertyOptional({
    example: '2025-10-10T00:00:00Z',
    description: 'Reports that occurred at or after this time',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  from?: string;

  @ApiPropertyOptional({
    example: '2025-11-10T00:00:00Z',
    description: 'Reports that occurred before this time',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  to?: string;
}
