import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { VIOLATION_VERIFICATION_OUTCOMES, ViolationVerificationOutcome } from '@app/domain';
import { IsNotBlank } from '../../common/validation/validators';

export class VerifyViolationRequest {
  @ApiProperty({ enum: VIOLATION_VERIFICATION_OUTCOMES, example: 'confirmed' })
  @IsIn(VIOLATION_VERIFICATION_OUTCOMES)
  outcome!: ViolationVerificationOutcome;

  @ApiProperty({
    example: 'Site visit and hospital records match the reported strike and casualties.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @IsNotBlank()
  note!: string;
}
