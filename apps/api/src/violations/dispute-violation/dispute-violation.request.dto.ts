import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import { IsNotBlank, IsSourceInput, SourceInput } from '../../common/validation/validators';

export class DisputeViolationRequest {
  @ApiProperty({
    example: 'israel',
    description: 'The disputing party; must be a party of the agreement (422)',
  })
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'partyId must be a party id' })
  partyId!: string;

  @ApiProperty({
    example: 'The strike targeted militants who crossed the agreed line and posed a threat.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @IsNotBlank()
  statement!: string;

  @ApiPropertyOptional({ ...SOURCE_SCHEMA, example: { name: 'IDF spokesperson', kind: 'party' } })
  @IsOptional()
  @IsSourceInput()
  source?: SourceInput;
}
