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
import { DisputeViolationCommand } from './dispute-violation.command';
import { DisputeViolationRequest } from './dispute-violation.request.dto';

@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1/violations')
export class DisputeViolationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/disputes')
  @Roles('verifier')
  @ApiOperation({
    summary: 'Record that a party disputes a violation report',
    description: 'The disputing party must be a party of the agreement of the report (422).',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async dispute(
    @Param('id', PathId) violationId: string,
    @Body() body: DisputeViolationRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new DisputeViolationCommand(violationId, body, request)),
    );
  }
}
