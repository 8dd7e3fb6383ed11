import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SOURCE_KINDS, SourceKind } from '@app/domain';
import { IsIsoDateTimeWithZone, IsNotBlank } from '../../common/validation/validators';

/** A Source object (this endpoint takes no bare name). */
export class AddViolationSourceRequest {
  @ApiProperty({ example: 'Reuters', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: SOURCE_KINDS, example: 'media' })
  @IsIn(SOURCE_KINDS)
  kind!: SourceKind;

  @ApiPropertyOptional({
    example: 'https://www.reuters.com/world/middle-east/',
    maxLength: 2000,
    description: 'An http(s) URL',
  })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/^https?:\/\/\S+$/, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ example: '2025-10-28T20:15:00Z' })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  publishedAt?: string;

  @ApiPropertyOptional({
    example: 'reuters',
    minLength: 1,
    maxLength: 200,
    description:
      'Outlets repeating one wire story share a group (defaults to the name); sources from two groups corroborate a report',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'independenceGroup must not be blank' })
  independenceGroup?: string;
}
