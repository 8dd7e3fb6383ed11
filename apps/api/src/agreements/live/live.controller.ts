// GET /v1/agreements/:id/live: the agreement's projection changes as Server-Sent Events. Every
// refusal (401, 404, a bad cursor) is answered in the contract's error shape before the stream
// starts; after that the reply is a raw event stream that LiveFeed writes to.
import { Controller, Get, Headers, Logger, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { decodeCursor, encodeCursor, InvalidCursor, type FeedPosition } from '@app/event-store';
import { ApiError } from '../../common/api-error';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { ViolationView } from '../../violations/get-violation/violation.view';
import { GetAgreementQuery } from '../get-agreement/get-agreement.query';
import { ComplianceView } from '../get-compliance/compliance.view';
import { LiveFeed } from './live-feed.service';
import { ObligationStatusChangeView, ViolationLevelChangeView } from './live-message.view';
import { LiveStream } from './live-stream';
import { LiveRequest } from './live.request.dto';

const EXAMPLE = [
  'retry: 1000',
  '',
  'id: ZjEuNzQ0LjEwMjQ',
  'event: compliance',
  'data: {"agreementId":"gaza-2025-10","asOf":"2025-10-28T14:31:02.120Z",...}',
  '',
  'id: ZjEuNzQ0LjEwMjQ',
  'event: violation.reported',
  'data: {"id":"strike-sabra","agreementId":"gaza-2025-10","verification":"reported",...}',
  '',
  'id: ZjEuNzQ2LjEwMzE',
  'event: compliance',
  'data: {"agreementId":"gaza-2025-10",...}',
  '',
  ':',
  '',
].join('\n');

@ApiTags('agreements')
@ApiExtraModels(ViolationView, ViolationLevelChangeView, ObligationStatusChangeView, ComplianceView)
@Controller('v1/agreements')
export class LiveController {
  private readonly logger = new Logger('LiveController');

  constructor(
    private readonly queries: QueryBus,
    private readonly feed: LiveFeed,
  ) {}

  @Get(':id/live')
  @Roles('reader')
  @ApiOperation({
    summary: "The agreement's projection changes, pushed as Server-Sent Events",
    description: [
      'Each change is pushed once the projections have applied its event (within a second), as one of:',
      `\`violation.reported\` ([ViolationView](${getSchemaPath(ViolationView)})): a new report;`,
      `\`violation.level\` ([ViolationLevelChangeView](${getSchemaPath(ViolationLevelChangeView)})): a report's verification level changed;`,
      `\`obligation.status\` ([ObligationStatusChangeView](${getSchemaPath(ObligationStatusChangeView)})): an obligation's status changed, by an event or because a deadline passed;`,
      `\`compliance\` ([ComplianceView](${getSchemaPath(ComplianceView)})): the compliance figures, after each group of changes.`,
      '',
      "Each message's `id` is a feed cursor: everything up to it has been sent. The messages of one group repeat the previous cursor and the group's last message (`compliance`) carries the new one, so a client cut off within a group gets the whole group again.",
      'The stream opens with a `compliance` message carrying the cursor it starts from. Reconnecting with `Last-Event-ID` (or `?after=`) resumes without loss: the stream starts with the reports made since, the current level of every report touched since, the current status of every obligation, and the compliance figures.',
      'A comment line (`:`) is sent every 15 seconds to keep proxies from closing an idle connection. A client that stops reading (over 1 MiB behind) is disconnected and resumes from its last id.',
    ].join('\n'),
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      "The `id` of the last message received: the stream resumes after it (browsers' EventSource sends it when it reconnects)",
  })
  @ApiOkResponse({
    description: 'An endless `text/event-stream` (see above)',
    content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLE } },
  })
  @ReadApiResponses({ notFound: true })
  async follow(
    @Param('id', PathId) id: string,
    @Query() query: LiveRequest,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const from = startingPoint(lastEventId, query.after);
    foundOr404(await this.queries.execute(new GetAgreementQuery(id)), `agreement ${id}`);
    if (this.feed.isStopping) throw new ApiError('UNAVAILABLE', 'the service is stopping');
    reply.hijack();
    const stream = new LiveStream(reply.raw, reply.getHeaders(), from && encodeCursor(from));
    this.feed.follow(id, from, stream).catch((err: unknown) => {
      if (!stream.isClosed) this.logger.warn(`live stream of ${id} ended: ${String(err)}`);
      stream.close();
    });
  }
}

/** The cursor to resume after: Last-Event-ID, else ?after=; null (neither) starts from now. */
function startingPoint(
  lastEventId: string | undefined,
  after: string | undefined,
): FeedPosition | null {
  const [name, given] = lastEventId ? ['Last-Event-ID', lastEventId] : ['after', after];
  // An empty value would decode to the start of the feed; it means no cursor.
  if (!given) return null;
  try {
    return decodeCursor(given);
  } catch (err) {
    if (err instanceof InvalidCursor)
      throw new ApiError('VALIDATION_FAILED', `${name}: not a cursor this service issued`);
    throw err;
  }
}
