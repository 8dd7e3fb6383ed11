import { Body, Controller, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/roles';
import { Write, WriteRequest } from '../../common/request-context';
import { PathId } from '../../common/validation/path-id.pipe';
import { respond } from '../../common/writes/respond';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { foundOr404 } from '../../reads/found';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { JobAcceptedView } from '../jobs/job.view';
import { NoBodyFields } from '../no-body-fields.pipe';
import { RebuildProjectionCommand } from './rebuild-projection.command';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class RebuildProjectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':name/rebuild')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({
    summary: 'Rebuild a projection without downtime',
    description:
      'The worker builds shadow tables from the start of the feed, catches up to the head and swaps them in one transaction; reads answer from the old tables until then. Follow the job at GET /v1/admin/jobs/{jobId}. A rebuild already queued or running is not queued twice: its job id is answered. Retried with the same Idempotency-Key, the first answer comes back and nothing is queued.',
  })
  @ApiBody({
    required: false,
    description: 'None, or an empty object: the request takes no fields',
    schema: { type: 'object', additionalProperties: false, maxProperties: 0 },
  })
  @ApiAcceptedResponse({ type: JobAcceptedView })
  @WriteApiResponses({ stream: false, notFound: true })
  async rebuild(
    @Param('name', PathId) name: string,
    @Body(NoBodyFields) _body: Record<string, never>,
    @Query(NoQueryParams) _query: Record<string, never>,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedView> {
    return respond(
      reply,
      foundOr404(
        await this.commands.execute(new RebuildProjectionCommand(name, request)),
        `projection ${name}`,
      ),
    );
  }
}
