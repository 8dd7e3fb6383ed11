import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IdFilter } from '../../reads/id-filter';
import { TimeFilter } from '../../reads/time-filter';

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

  @TimeFilter(
    'Reports that occurred at or after this time (as GET /v1/violations), to the millisecond',
    '2025-10-10T00:00:00Z',
  )
  from?: string;

  @TimeFilter(
    'Reports that occurred before this time (as GET /v1/violations), to the millisecond',
    '2025-11-10T00:00:00Z',
  )
  to?: string;

  @IdFilter('Only reports alleged against this party', 'israel')
  partyId?: string;
}
