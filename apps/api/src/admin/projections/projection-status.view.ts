import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStatusView {
  @ApiProperty({ example: 'obligations' }) name!: string;
  @ApiProperty({ enum: ['live', 'rebuilding'], example: 'live' }) state!: 'live' | 'rebuilding';
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ example: 1042, description: 'Feed position of the last event passed' })
  position!: number;
  @ApiProperty({ example: 0, description: 'Committed feed events not yet applied' })
  lagEvents!: number;
  @ApiProperty({ example: 0, description: 'Age of the oldest event not yet applied' })
  lagSeconds!: number;
  @ApiProperty({ example: '2026-02-01T00:00:00.000Z' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) lastAppliedAt!: string | null;
}

export class ProjectionStatusListView {
  @ApiProperty({ type: [ProjectionStatusView] }) items!: ProjectionStatusView[];
}
