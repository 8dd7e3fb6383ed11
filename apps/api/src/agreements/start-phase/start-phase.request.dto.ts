import { ApiProperty } from '@nestjs/swagger';
import { IsIsoDateTimeWithZone } from '../../common/validation/validators';

export class StartPhaseRequest {
  @ApiProperty({
    example: '2025-10-10T09:00:00Z',
    description: 'When the phase started (the anchor of phase_start deadlines)',
  })
  @IsIsoDateTimeWithZone()
  startedAt!: string;
}
