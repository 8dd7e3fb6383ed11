// A query parameter naming an agreement, party, phase or obligation: the same kind of slug as ids.
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../common/validation/validators';

export function IdFilter(description: string, example: string) {
  return applyDecorators(
    ApiPropertyOptional({ description, example, pattern: ID_PATTERN.source }),
    IsOptional(),
    Matches(ID_PATTERN, { message: ID_MESSAGE }),
  );
}
