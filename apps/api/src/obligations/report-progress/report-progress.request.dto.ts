import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  IsIsoDateTimeWithZone,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';

export class ReportProgressRequest {
  @ApiProperty({
    example: 4,
    minimum: 1,
    maximum: 10000000,
    description: 'Units delivered in this report (an increment, not a running total)',
  })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity!: number;

  @ApiProperty({
    example: '2025-10-13T08:00:00Z',
    description: 'When the delivery happened (not after the time of recording)',
  })
  @IsIsoDateTimeWithZone()
  occurredAt!: string;

  @ApiProperty(SOURCE_SCHEMA)
  @IsSourceInput()
  source!: SourceInput;

  @ApiPropertyOptional({
    example: 'Handed over to the Red Cross in Gaza City',
    maxLength: 10000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  note?: string;
}
