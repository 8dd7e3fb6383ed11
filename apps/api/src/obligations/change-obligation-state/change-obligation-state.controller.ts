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
import { ChangeObligationStateCommand } from './change-obligation-state.command';
import { ChangeObligationStateRequest } from './change-obligation-state.request.dto';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('v1/obligations')
export class ChangeObligationStateController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/state')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Suspend, resume or waive an obligation',
    description:
      'A suspension may cite the violations it answers (a party suspending its obligation over the other side’s violations).',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async change(
    @Param('id', PathId) obligationId: string,
    @Body() body: ChangeObligationStateRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new ChangeObligationStateCommand(obligationId, body, request)),
    );
  }
}
