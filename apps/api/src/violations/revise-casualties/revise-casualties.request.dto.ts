import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { MAX_CASUALTIES } from '@app/domain';
import { SOURCE_SCHEMA } from '../../common/validation/source.dto';
import { IsNotBlank, IsSourceInput, SourceInput } from '../../common/validation/validators';

export class ReviseCasualtiesRequest {
  @ApiProperty({ example: 2, minimum: 0, maximum: MAX_CASUALTIES })
  @IsInt()
  @Min(0)
  @Max(MAX_CASUALTIES)
  killed!: number;

  @ApiProperty({ example: 4, minimum: 0, maximum: MAX_CASUALTIES })
  @IsInt()
  @Min(0)
  @Max(MAX_CASUALTIES)
  injured!: number;

  @ApiProperty({
    example: 'One of the injured died in hospital the next day.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @IsNotBlank()
  reason!: string;

  @ApiProperty({ ...SOURCE_SCHEMA, example: { name: 'Gaza Health Ministry', kind: 'official' } })
  @IsSourceInput()
  source!: SourceInput;
}
