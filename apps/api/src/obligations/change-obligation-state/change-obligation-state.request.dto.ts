import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { OBLIGATION_STATE_ACTIONS, ObligationStateAction } from '@app/domain';
import { ID_PATTERN, IsNotBlank } from '../../common/validation/validators';

export class ChangeObligationStateRequest {
  @ApiProperty({ enum: OBLIGATION_STATE_ACTIONS, example: 'suspend' })
  @IsIn(OBLIGATION_STATE_ACTIONS)
  action!: ObligationStateAction;

  @ApiProperty({
    example: 'Releases suspended, citing strikes on Gaza City',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10_000)
  @IsNotBlank()
  reason!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 100,
    example: ['v-2025-10-19-rafah'],
    description: "Violations cited (a party suspending its obligation over the other side's)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'citedViolationIds must be unique' })
  @Matches(ID_PATTERN, { each: true, message: 'each cited violation must be a violation id' })
  citedViolationIds?: string[];
}
