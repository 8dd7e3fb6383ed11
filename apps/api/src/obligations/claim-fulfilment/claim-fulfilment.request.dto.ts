import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  IsIsoDateTimeWithZone,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';
import { SLUG } from '../obligation-request.validators';

export class ClaimFulfilmentRequest {
  @ApiProperty({ example: 'hamas', description: 'The party of the agreement making the claim' })
  @Matches(SLUG, { message: 'claimedByPartyId must be a party id' })
  claimedByPartyId!: string;

  @ApiProperty({
    example: '2025-10-13T12:00:00Z',
    description: 'When the obligation was, as claimed, fulfilled (not after the time of recording)',
  })
  @IsIsoDateTimeWithZone()
  occurredAt!: string;

  @ApiProperty(SOURCE_SCHEMA)
  @IsSourceInput()
  source!: SourceInput;

  @ApiPropertyOptional({
    example: 'Statement: all living captives have been handed over',
    maxLength: 10000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  note?: string;
}
