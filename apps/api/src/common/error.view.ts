import { ApiProperty } from '@nestjs/swagger';
import { ERROR_STATUS } from '@app/shared';

export class ErrorView {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error!: string;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'RULE_VIOLATED' }) code!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'party hamas is not in this agreement',
  })
  message!: string | string[];
}
