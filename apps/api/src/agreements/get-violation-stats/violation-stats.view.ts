import { ApiProperty } from '@nestjs/swagger';
import type { ViolationStatsItem } from '@app/projections';

export class ViolationStatsItemView implements ViolationStatsItem {
  @ApiProperty({ example: '2025-10-27T00:00:00.000Z' }) bucketStart!: string;
  @ApiProperty({ example: 'israel', description: 'The alleged party' }) partyId!: string;
  @ApiProperty({ example: 3, description: 'Reports neither retracted nor discounted' })
  reports!: number;
  @ApiProperty({ example: 1, description: 'Of those, corroborated or confirmed' })
  corroborated!: number;
  @ApiProperty({ example: 0, description: 'Of those, confirmed' }) confirmed!: number;
  @ApiProperty({ example: 6 }) killed!: number;
  @ApiProperty({ example: 4 }) injured!: number;
}

export class ViolationStatsView {
  @ApiProperty({ type: [ViolationStatsItemView], description: 'Oldest bucket first' })
  items!: ViolationStatsItem[];
}
