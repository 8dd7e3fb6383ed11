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
    "Buckets of days on or after this time's UTC day (on occurredAt)",
    '2025-10-10T00:00:00Z',
  )
  from?: string;

  @TimeFilter(
    'Buckets of days before this time (a time at midnight excludes that day)',
    '2025-11-10T00:00:00Z',
  )
  to?: string;

  @IdFilter('Only reports alleged against this party', 'israel')
  partyId?: string;
}
