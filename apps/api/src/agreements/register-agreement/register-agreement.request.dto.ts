import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PARTY_ROLES } from '@app/domain';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  ID_MESSAGE,
  ID_PATTERN,
  IsIsoDateTimeWithZone,
  IsNotBlank,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';

const SLUG = /^[a-z0-9-]{1,64}$/;

export class PartyRequest {
  @ApiProperty({ example: 'israel', description: 'slug: 1-64 of a-z, 0-9, -' })
  @Matches(SLUG, { message: 'party id must be 1-64 characters of a-z, 0-9 and -' })
  id!: string;

  @ApiProperty({ example: 'Israel', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  name!: string;

  @ApiProperty({ enum: PARTY_ROLES, example: 'signatory' })
  @IsIn(PARTY_ROLES)
  role!: (typeof PARTY_ROLES)[number];
}

export class PhaseRequest {
  @ApiProperty({ example: 'phase-1', description: 'slug: 1-64 of a-z, 0-9, -' })
  @Matches(SLUG, { message: 'phase key must be 1-64 characters of a-z, 0-9 and -' })
  key!: string;

  @ApiProperty({ example: 'Phase 1: ceasefire and exchange', maxLength: 300 })
  @IsString()
  @Length(1, 300)
  @IsNotBlank()
  title!: string;

  @ApiPropertyOptional({ example: '2025-10-10T09:00:00Z' })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  startsAt?: string;
}

export class RegisterAgreementRequest {
  @ApiPropertyOptional({
    example: 'gaza-2025-10',
    description: 'Client-chosen id; a UUID is made otherwise',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({
    example: 'Gaza ceasefire and hostage release agreement (October 2025)',
    maxLength: 300,
  })
  @IsString()
  @Length(1, 300)
  @IsNotBlank()
  title!: string;

  @ApiProperty({ example: '2025-10-10T09:00:00Z', description: 'When the agreement took effect' })
  @IsIsoDateTimeWithZone()
  effectiveAt!: string;

  @ApiPropertyOptional({ example: '2025-10-09T00:00:00Z' })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  signedAt?: string;

  @ApiProperty({ type: [PartyRequest], minItems: 2 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  @ArrayUnique((p: PartyRequest) => p?.id, { message: 'party ids must be unique' })
  @ValidateNested({ each: true })
  @Type(() => PartyRequest)
  parties!: PartyRequest[];

  @ApiProperty({ type: [PhaseRequest], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique((p: PhaseRequest) => p?.key, { message: 'phase keys must be unique' })
  @ValidateNested({ each: true })
  @Type(() => PhaseRequest)
  phases!: PhaseRequest[];

  @ApiPropertyOptional({ type: 'array', items: SOURCE_SCHEMA, maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsSourceInput({ each: true })
  sources?: SourceInput[];
}
