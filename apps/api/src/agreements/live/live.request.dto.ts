import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LiveRequest {
  @ApiPropertyOptional({
    description:
      "Start after this feed cursor (a message's `id`), as Last-Event-ID does; the header wins when both are sent (a browser's EventSource keeps the URL and adds the header when it reconnects). Omit both to start from now.",
    example: 'ZjEuNzQ0LjEwMjQ',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}
