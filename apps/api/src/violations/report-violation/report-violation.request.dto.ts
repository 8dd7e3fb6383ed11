import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  LOCATION_PRECISIONS,
  LocationPrecision,
  MAX_CASUALTIES,
  VIOLATION_CATEGORIES,
  ViolationCategory,
} from '@app/domain';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  ID_MESSAGE,
  ID_PATTERN,
  IsIsoDateTimeWithZone,
  IsNotBlank,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';

export class ViolationLocationRequest {
  @ApiProperty({ example: 'Gaza City', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  name!: string;

  // Coordinates come in pairs: one without the other is refused.
  @ApiPropertyOptional({
    example: 31.5017,
    minimum: -90,
    maximum: 90,
    description: 'Latitude (WGS 84); give it with lon',
  })
  @ValidateIf((l: ViolationLocationRequest) => l.lat !== undefined || l.lon !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional({
    example: 34.4668,
    minimum: -180,
    maximum: 180,
    description: 'Longitude (WGS 84); give it with lat',
  })
  @ValidateIf((l: ViolationLocationRequest) => l.lat !== undefined || l.lon !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon?: number;

  @ApiProperty({
    enum: LOCATION_PRECISIONS,
    example: 'approximate',
    description: 'How precisely the place is known',
  })
  @IsIn(LOCATION_PRECISIONS)
  precision!: LocationPrecision;
}

export class CasualtiesRequest {
  @ApiProperty({ example: 1, minimum: 0, maximum: MAX_CASUALTIES })
  @IsInt()
  @Min(0)
  @Max(MAX_CASUALTIES)
  killed!: number;

  @ApiProperty({ example: 4, minimum: 0, maximum: MAX_CASUALTIES })
  @IsInt()
  @Min(0)
  @Max(MAX_CASUALTIES)
  injured!: number;
}

export class ReportViolationRequest {
  @ApiPropertyOptional({
    example: 'v-2025-10-28-gaza-city',
    description: 'Client-chosen id; a UUID is made otherwise',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({
    example: 'gaza-2025-10',
    description: 'The agreement allegedly violated (unknown: 422)',
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  agreementId!: string;

  @ApiProperty({
    example: '2025-10-28T18:30:00Z',
    description:
      "When it happened: not after the time of recording, nor more than a day before the agreement's effectiveAt (422)",
  })
  @IsIsoDateTimeWithZone()
  occurredAt!: string;

  @ApiProperty({ type: ViolationLocationRequest })
  @IsObject()
  @ValidateNested()
  @Type(() => ViolationLocationRequest)
  location!: ViolationLocationRequest;

  @ApiProperty({ enum: VIOLATION_CATEGORIES, example: 'airstrike' })
  @IsIn(VIOLATION_CATEGORIES)
  category!: ViolationCategory;

  @ApiProperty({
    example: 'israel',
    description: 'The party the act is attributed to; must be a party of the agreement (422)',
  })
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'allegedPartyId must be a party id' })
  allegedPartyId!: string;

  @ApiProperty({
    example: 'Airstrike on a residential building in Gaza City; one killed, four injured.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @IsNotBlank()
  description!: string;

  @ApiPropertyOptional({
    type: CasualtiesRequest,
    description: 'The reported figures (0 and 0 when omitted)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtiesRequest)
  casualties?: CasualtiesRequest;

  @ApiProperty({
    type: 'array',
    items: SOURCE_SCHEMA,
    minItems: 1,
    maxItems: 50,
    example: [
      { name: 'Gaza Health Ministry', kind: 'official' },
      { name: 'Reuters', kind: 'media' },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsSourceInput({ each: true })
  sources!: SourceInput[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    example: ['o-cessation-of-hostilities'],
    description: 'Obligations of the same agreement this allegedly breaches (unknown: 422)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'relatedObligationIds must be unique' })
  @Matches(ID_PATTERN, { each: true, message: 'each of relatedObligationIds must be an id' })
  relatedObligationIds?: string[];
}
