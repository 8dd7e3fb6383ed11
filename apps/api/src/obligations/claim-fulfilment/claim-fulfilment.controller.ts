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
import { ClaimFulfilmentCommand } from './claim-fulfilment.command';
import { ClaimFulfilmentRequest } from './claim-fulfilment.request.dto';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('v1/obligations')
export class ClaimFulfilmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/fulfilment-claims')
  @Roles('monitor')
  @ApiOperation({
    summary: 'Record a party claiming the obligation fulfilled',
    description:
      'A claim alone does not fulfil an obligation: it needs the target delivered or a verification.',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async claim(
    @Param('id', PathId) obligationId: string,
    @Body() body: ClaimFulfilmentRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new ClaimFulfilmentCommand(obligationId, body, request)),
    );
  }
}
