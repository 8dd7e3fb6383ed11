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
import { StartPhaseCommand } from './start-phase.command';
import { StartPhaseRequest } from './start-phase.request.dto';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('v1/agreements')
export class StartPhaseController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/phases/:key/start')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Record that a phase started' })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async start(
    @Param('id', PathId) agreementId: string,
    @Param('key', PathId) phaseKey: string,
    @Body() body: StartPhaseRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new StartPhaseCommand(agreementId, phaseKey, body, request)),
    );
  }
}
