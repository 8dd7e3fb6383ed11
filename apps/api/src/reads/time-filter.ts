// A query parameter holding a time: ISO 8601 with a zone, like every time the API takes.
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsIsoDateTimeWithZone } from '../common/validation/validators';

export function TimeFilter(description: string, example: string) {
  return applyDecorators(
    ApiPropertyOptional({ description, example }),
    IsOptional(),
    IsIsoDateTimeWithZone(),
  );
}
