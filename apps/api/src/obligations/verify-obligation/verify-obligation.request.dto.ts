import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { OBLIGATION_VERIFICATION_OUTCOMES, ObligationVerificationOutcome } from '@app/domain';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import {
  IsIsoDateTimeWithZone,
  IsNotBlank,
  IsSourceInput,
  SourceInput,
} from '../../common/validation/validators';

export class VerifyObligationRequest {
  @ApiProperty({ enum: OBLIGATION_VERIFICATION_OUTCOMES, example: 'verified' })
  @IsIn(OBLIGATION_VERIFICATION_OUTCOMES)
  outcome!: ObligationVerificationOutcome;

  @ApiProperty({
    example: 'ICRC confirmed the handover of all 20 living hostages',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10_000)
  @IsNotBlank()
  note!: string;

  @ApiPropertyOptional({
    example: '2025-10-13T15:00:00Z',
    description: 'When the verified fact happened; the time of recording when omitted',
  })
  @IsOptional()
  @IsIsoDateTimeWithZone()
  occurredAt?: string;

  @ApiPropertyOptional(SOURCE_SCHEMA)
  @IsOptional()
  @IsSourceInput()
  source?: SourceInput;
}
