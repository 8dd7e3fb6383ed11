import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DEADLINE_ANCHORS,
  DeadlineAnchor,
  OBLIGATION_KINDS,
  ObligationKind,
  RATE_PERIODS,
  RatePeriod,
} from '@app/domain';
import type { JsonObject } from '@app/domain';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  ID_MESSAGE,
  ID_PATTERN,
  IsIsoDateTimeWithZone,
  IsNotBlank,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';
import { IsAbsentWith, SLUG } from '../obligation-request.validators';

export class ObligationDueWithinRequest {
  @ApiProperty({ example: 72, minimum: 1, maximum: 100000, description: 'Hours after the anchor' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  hours!: number;

  @ApiProperty({
    enum: DEADLINE_ANCHORS,
    example: 'agreement_effective',
    description:
      'The anchor: the agreement taking effect, the phase starting, or the last condition fulfilled',
  })
  @IsIn(DEADLINE_ANCHORS)
  after!: DeadlineAnchor;
}

export class ObligationTargetRequest {
  @ApiProperty({ example: 20, minimum: 1, maximum: 10000000 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity!: number;

  @ApiProperty({ example: 'hostages', minLength: 1, maxLength: 50 })
  @IsString()
  @Length(1, 50)
  @IsNotBlank()
  unit!: string;

  @ApiPropertyOptional({
    enum: RATE_PERIODS,
    example: 'day',
    description: 'Makes it a rate obligation: the quantity is due in every UTC day or ISO week',
  })
  @IsOptional()
  @IsIn(RATE_PERIODS)
  per?: RatePeriod;
}

export class RegisterObligationRequest {
  @ApiPropertyOptional({
    example: 'gaza-2025-10-hostages',
    description: 'Client-chosen id; a UUID is made otherwise',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'phase-1', description: 'A phase key of the agreement' })
  @Matches(SLUG, { message: 'phaseKey must be 1-64 characters of a-z, 0-9 and -' })
  phaseKey!: string;

  @ApiProperty({ enum: OBLIGATION_KINDS, example: 'hostage_release' })
  @IsIn(OBLIGATION_KINDS)
  kind!: ObligationKind;

  @ApiProperty({
    example: 'Release of all living hostages within 72 hours',
    minLength: 1,
    maxLength: 300,
  })
  @IsString()
  @Length(1, 300)
  @IsNotBlank()
  title!: string;

  @ApiPropertyOptional({
    example: 'All 20 living hostages are returned to Israel.',
    maxLength: 10000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  description?: string;

  @ApiPropertyOptional({
    example: 'Point 4',
    maxLength: 300,
    description: 'Where the agreement text says it',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  clause?: string;

  @ApiProperty({ example: 'hamas', description: 'The party that must deliver' })
  @Matches(SLUG, { message: 'responsiblePartyId must be a party id' })
  responsiblePartyId!: string;

  @ApiPropertyOptional({ example: 'israel', description: 'The party it is owed to' })
  @IsOptional()
  @Matches(SLUG, { message: 'beneficiaryPartyId must be a party id' })
  beneficiaryPartyId?: string;

  @ApiPropertyOptional({
    example: '2025-10-31T23:59:59Z',
    description: 'An absolute deadline (not together with dueWithin)',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  dueAt?: string;

  @ApiPropertyOptional({
    type: ObligationDueWithinRequest,
    description: 'A relative deadline: N hours after an anchor (not together with dueAt)',
  })
  @IsOptional()
  @IsAbsentWith('dueAt')
  @IsObject()
  @ValidateNested()
  @Type(() => ObligationDueWithinRequest)
  dueWithin?: ObligationDueWithinRequest;

  @ApiPropertyOptional({
    type: ObligationTargetRequest,
    description: 'A quantity to deliver; with `per`, a rate judged window by window',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ObligationTargetRequest)
  target?: ObligationTargetRequest;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    example: ['gaza-2025-10-remains'],
    description: 'Obligations of the same agreement that must be fulfilled first',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'conditions must be unique' })
  @Matches(ID_PATTERN, { each: true, message: 'each condition must be an obligation id' })
  conditions?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { directions: ['exit', 'entry'], operatedBy: 'Palestinian Authority with EUBAM' },
    description: 'Free-form terms of the obligation, kept as given',
  })
  @IsOptional()
  @IsObject()
  terms?: JsonObject;

  @ApiPropertyOptional({ type: 'array', items: SOURCE_SCHEMA, maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsSourceInput({ each: true })
  sources?: SourceInput[];
}
