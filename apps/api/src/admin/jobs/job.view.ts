import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class JobView {
  @ApiProperty({ example: 'rebuild-obligations-1763800000000' }) id!: string;
  @ApiProperty({ example: 'rebuild' }) name!: string;
  @ApiProperty({ example: 'projections', description: 'The queue the job is in' }) queue!: string;
  @ApiProperty({
    enum: ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'unknown'],
    example: 'active',
  })
  state!: string;
  @ApiProperty({
    description:
      'What the job reported: for a rebuild { name, phase: building|swapped, position, eventsRead, eventsTotal, percent }',
    example: { phase: 'building', eventsRead: 420000, eventsTotal: 1000000, percent: 42 },
  })
  progress!: unknown;
  @ApiProperty({ example: 1 }) attemptsMade!: number;
  @ApiProperty({ example: '2026-11-22T05:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiPropertyOptional({ description: 'Why the last attempt failed' }) failedReason?: string;
}

export class JobAcceptedView {
  @ApiProperty({ example: 'rebuild-obligations-1763800000000' }) jobId!: string;
}
