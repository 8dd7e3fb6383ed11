import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsIsoDateTimeWithZone } from '../../common/validation/validators';
import { IdFilter } from '../../reads/id-filter';

export const STATS_BUCKETS = ['day', 'week'] as const;

export class ViolationStatsRequest {
  @ApiPropertyOptional({
    enum: STATS_BUCKETS,
    default: 'day',
    description: 'UTC days, or ISO weeks starting Monday 00:00 UTC',
  })
  @IsOptional()
  @IsIn(STATS_BUCKETS)
  bucket?: (typeof STATS_BUCKETS)[number];

  @ApiPropertyOptional({
    example: '2025-10-10T00:00:00Z',
    description: "Buckets of days on or after this time's UTC day (on occurredAt)",
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  from?: string;

  @ApiPropertyOptional({
    example: '2025-11-10T00:00:00Z',
    description: 'Buckets of days before this time (a time at midnight excludes that day)',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  to?: string;

  @IdFilter('Only reports alleged against this party', 'israel')
  partyId?: string;
}
