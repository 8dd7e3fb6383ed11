import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { Write, WriteRequest } from '../../common/request-context';
import { respond } from '../../common/writes/respond';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { WriteResponseView } from '../../common/writes/write-response.view';
import { AmendDeadlineCommand } from './amend-deadline.command';
import { AmendDeadlineRequest } from './amend-deadline.request.dto';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('v1/obligations')
export class AmendDeadlineController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/deadline')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Amend the deadline of an obligation (the history is kept)' })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async amend(
    @Param('id', PathId) obligationId: string,
    @Body() body: AmendDeadlineRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new AmendDeadlineCommand(obligationId, body, request)),
    );
  }
}
