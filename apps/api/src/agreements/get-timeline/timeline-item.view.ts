import { ApiProperty } from '@nestjs/swagger';
import type { TimelineItem } from '@app/projections';

export class TimelineItemView implements TimelineItem {
  @ApiProperty({ example: 42, description: 'Global position of the event' }) position!: number;
  @ApiProperty({ example: '2025-10-13T09:12:00.000Z' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-10-13T08:00:00.000Z' })
  occurredAt!: string | null;
  @ApiProperty({ example: 'ProgressReported' }) type!: string;
  @ApiProperty({ example: 'obligation-hostages' }) streamId!: string;
  @ApiProperty({ example: '20 hostages delivered (Reuters)' }) summary!: string;
}
