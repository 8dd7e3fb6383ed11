import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsNotBlank } from '../../common/validation/validators';

export class RetractViolationRequest {
  @ApiProperty({
    example: 'Reported twice: this duplicates an earlier report of the same strike.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @IsNotBlank()
  reason!: string;
}
