import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  IsIsoDateTimeWithZone,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';

export class RecordCasualtyTallyRequest {
  @ApiProperty(SOURCE_SCHEMA)
  @IsSourceInput()
  source!: SourceInput;

  @ApiProperty({
    example: '2026-01-25T00:00:00Z',
    description: 'The date the cumulative figure is as of',
  })
  @IsIsoDateTimeWithZone()
  asOf!: string;

  @ApiProperty({ example: 484, minimum: 0, maximum: 10000000 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  killed!: number;

  @ApiProperty({ example: 1321, minimum: 0, maximum: 10000000 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  injured!: number;

  @ApiPropertyOptional({
    example: 'israel',
    description: 'The party the tally attributes the casualties to',
  })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'attributedToPartyId must be a party id' })
  attributedToPartyId?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  note?: string;
}
