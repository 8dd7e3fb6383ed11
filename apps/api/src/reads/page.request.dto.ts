// The paging parameters every list takes (API.md Conventions: limit 1-500, default 50; opaque cursor).
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class PageRequest {
  @ApiPropertyOptional({
    description: "Opaque cursor: the previous page's nextCursor; omit for the first page",
    example: 'bDEub2JsaWdhdGlvbnMuNTA',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;

  @PageLimit()
  limit?: number;
}

/** `?limit`: how many items a page holds, 1-500, 50 when absent. */
export function PageLimit() {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, example: 50 }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(500),
  );
}
