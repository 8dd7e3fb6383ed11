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
import { VerifyViolationCommand } from './verify-violation.command';
import { VerifyViolationRequest } from './verify-violation.request.dto';

@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1/violations')
export class VerifyViolationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/verification')
  @Roles('verifier')
  @ApiOperation({
    summary: 'Confirm or discount a violation report',
    description: 'A retracted report cannot be verified (422).',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async verify(
    @Param('id', PathId) violationId: string,
    @Body() body: VerifyViolationRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new VerifyViolationCommand(violationId, body, request)),
    );
  }
}
