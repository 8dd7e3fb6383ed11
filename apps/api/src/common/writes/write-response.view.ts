import { ApiProperty } from '@nestjs/swagger';

/** What every write answers (API.md: { id, streamVersion, position } at least). */
export class WriteResponseView {
  @ApiProperty({ description: 'The id of the resource written', example: 'gaza-2025-10' })
  id!: string;

  @ApiProperty({
    description: 'The stream the events were appended to',
    example: 'agreement-gaza-2025-10',
  })
  streamId!: string;

  @ApiProperty({
    description: "The stream's version after the write (send it as If-Match next time)",
    example: 3,
  })
  streamVersion!: number;

  @ApiProperty({ description: 'Global position of the last event written', example: 1042 })
  position!: number;
}
