import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsIsoDateTimeWithZone } from '../../common/validation/validators';

/** `?asOf` and `?occurredBefore` (auditors): the answer rebuilt by replaying events. */
export class ReplayRequest {
  @ApiPropertyOptional({
    example: '2025-10-20T12:00:00Z',
    description:
      'Auditor: the answer as the service knew it at this time (events recorded up to it, statuses judged at it); generatedFrom becomes "replay"',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  asOf?: string;

  @ApiPropertyOptional({
    example: '2025-10-15T00:00:00Z',
    description:
      'Auditor: what had happened before this time, as known now (or as of asOf); statuses judged at it',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  occurredBefore?: string;
}
