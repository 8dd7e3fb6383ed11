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
import { VerifyObligationCommand } from './verify-obligation.command';
import { VerifyObligationRequest } from './verify-obligation.request.dto';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('v1/obligations')
export class VerifyObligationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/verification')
  @Roles('verifier')
  @ApiOperation({
    summary: "Record a verifier's word: fulfilment verified, disputed, or a breach",
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async verify(
    @Param('id', PathId) obligationId: string,
    @Body() body: VerifyObligationRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new VerifyObligationCommand(obligationId, body, request)),
    );
  }
}
