import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SOURCE_KINDS } from '@app/domain';

/** For the OpenAPI document: where a body takes a source, it takes a name or this object. */
export class SourceView {
  @ApiProperty({ example: 'Gaza Health Ministry', maxLength: 200 }) name!: string;
  @ApiPropertyOptional({ enum: SOURCE_KINDS, example: 'official' }) kind?: string;
  @ApiPropertyOptional({ example: 'https://example.org/report', maxLength: 2000 }) url?: string;
  @ApiPropertyOptional({ example: '2025-10-28T18:00:00Z' }) publishedAt?: string;
  @ApiPropertyOptional({
    description: 'Outlets repeating one wire story share a group (defaults to the name)',
    example: 'reuters',
  })
  independenceGroup?: string;
}

export const SOURCE_SCHEMA = {
  description: 'A source: its name, or a Source object',
  oneOf: [{ type: 'string', maxLength: 200 }, { $ref: '#/components/schemas/SourceView' }],
};
