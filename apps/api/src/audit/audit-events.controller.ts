// Auditors read the raw history: one stream, or the global feed in commit-safe order.
import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { EventStore, StoredEvent } from '@app/event-store';
import { ApiError } from '../common/api-error';
import { PageLimit } from '../reads/page.request.dto';
import { PageView, PageViewOf } from '../reads/page.view';
import { ReadApiResponses } from '../reads/read-api-responses';
import { Roles } from '../common/auth/roles';

export class FeedQuery {
  @ApiPropertyOptional({
    description: 'Cursor from the previous page (nextCursor); omit to start at the beginning',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @PageLimit()
  limit?: number;
}

export class StreamEventsQuery {
  @ApiPropertyOptional({ description: 'Cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;

  @PageLimit()
  limit?: number;
}

export class AuditEventView {
  @ApiProperty({ description: 'Global position in the feed', example: 1042 }) position!: number;
  @ApiProperty({ example: 'violation-3abd0271-7cf8-42ab-b130-02e02c671f7a' }) streamId!: string;
  @ApiProperty({ example: 1 }) streamVersion!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ViolationReported' }) type!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'actor { keyId, name, role }, correlationId, idempotencyKey when one was sent',
  })
  metadata!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, example: '2025-10-28T14:30:00.000Z' })
  occurredAt!: string | null;
  @ApiProperty({ example: '2025-10-28T14:31:02.120Z' }) recordedAt!: string;
  @ApiProperty({ description: "sha256 of the event chained to the stream's previous one (hex)" })
  hash!: string;
  @ApiProperty({ description: "The stream's previous event's hash (hex; zeros for the first)" })
  prevHash!: string;
}

const AuditEventPageView = PageViewOf(AuditEventView, 'AuditEventPageView');

export class FeedPageView {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiProperty({
    description:
      'Always present: pass as ?after= to resume; an empty items means the reader has caught up',
  })
  nextCursor!: string;
}

// A stream page's cursor: the next version, opaque to clients.
const encodeVersionCursor = (version: number) => Buffer.from(`v1.${version}`).toString('base64url');
function decodeVersionCursor(cursor: string): number {
  const m = /^v1\.(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !m || Number(m[1]) < 1) {
    throw new ApiError('VALIDATION_FAILED', 'cursor is not one this service issued');
  }
  return Number(m[1]);
}

const view = (e: StoredEvent): AuditEventView => ({
  position: e.position,
  streamId: e.streamId,
  streamVersion: e.streamVersion,
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
  occurredAt: e.occurredAt ? e.occurredAt.toISOString() : null,
  recordedAt: e.recordedAt.toISOString(),
  hash: e.hash,
  prevHash: e.prevHash,
});

@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1')
export class AuditEventsController {
  constructor(private readonly store: EventStore) {}

  @Get('streams/:streamId/events')
  @ApiOperation({ summary: "A stream's events in version order, with their hashes" })
  @ApiOkResponse({ type: AuditEventPageView })
  @ReadApiResponses({ forbidden: true, notFound: true })
  async streamEvents(
    @Param('streamId') streamId: string,
    @Query() query: StreamEventsQuery,
  ): Promise<PageView<AuditEventView>> {
    if (!/^(agreement|obligation|violation)-[A-Za-z0-9-]{1,64}$/.test(streamId)) {
      throw new ApiError('NOT_FOUND', `no stream ${streamId}`);
    }
    const limit = query.limit ?? 50;
    const from = query.cursor === undefined ? 1 : decodeVersionCursor(query.cursor);
    const events = await this.store.readStream(streamId, {
      fromVersion: from,
      toVersion: from + limit,
    });
    if (events.length === 0 && (await this.store.streamVersion(streamId)) === 0) {
      throw new ApiError('NOT_FOUND', `no stream ${streamId}`);
    }
    return {
      items: events.slice(0, limit).map(view),
      nextCursor: events.length > limit ? encodeVersionCursor(events[limit].streamVersion) : null,
    };
  }

  @Get('events')
  @ApiOperation({
    summary: 'The global feed in commit-safe order; never skips an event that commits late',
    description: 'An empty page means the reader has caught up: poll again with the same cursor.',
  })
  @ApiOkResponse({ type: FeedPageView })
  @ReadApiResponses({ forbidden: true })
  async feed(@Query() query: FeedQuery): Promise<FeedPageView> {
    const page = await this.store.readFeed(query.after ?? null, query.limit ?? 50);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }
}
