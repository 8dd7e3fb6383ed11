import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsIsoDateTimeWithZone } from '../../common/validation/validators';
import { IdFilter } from '../../reads/id-filter';

/** The filters both exports take. */
export class ViolationExportRequest {
  @IdFilter('Only reports under this agreement', 'gaza-2025-10')
  agreementId?: string;

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
