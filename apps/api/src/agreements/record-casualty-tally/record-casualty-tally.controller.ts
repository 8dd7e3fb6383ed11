import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { Write, WriteRequest } from '../../common/request-context';
import { respond } from '../../common/writes/respond';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { WriteResponseView } from '../../common/writes/write-response.view';
import { RecordCasualtyTallyCommand } from './record-casualty-tally.command';
import { RecordCasualtyTallyRequest } from './record-casualty-tally.request.dto';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('v1/agreements')
export class RecordCasualtyTallyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/casualty-tallies')
  @Roles('monitor')
  @ApiOperation({
    summary: 'Record a cumulative casualty figure from one source, as of a date',
    description: 'Tallies are never added to incident reports: they are a separate series.',
  })
  @ApiCreatedResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async record(
    @Param('id', PathId) agreementId: string,
    @Body() body: RecordCasualtyTallyRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new RecordCasualtyTallyCommand(agreementId, body, request)),
    );
  }
}
