import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  IsIsoDateTimeWithZone,
  IsNotBlank,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';

export class AmendDeadlineRequest {
  @ApiProperty({
    example: '2025-11-30T23:59:59Z',
    description: 'The new absolute deadline; it replaces any earlier one, absolute or relative',
  })
  @IsIsoDateTimeWithZone()
  dueAt!: string;

  @ApiProperty({
    example: 'Reopening postponed by the parties pending the return of the remaining remains',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10_000)
  @IsNotBlank()
  reason!: string;

  @ApiPropertyOptional(SOURCE_SCHEMA)
  @IsOptional()
  @IsSourceInput()
  source?: SourceInput;
}
