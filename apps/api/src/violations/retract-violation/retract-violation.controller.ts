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
import { RetractViolationCommand } from './retract-violation.command';
import { RetractViolationRequest } from './retract-violation.request.dto';

@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1/violations')
export class RetractViolationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/retraction')
  @Roles('monitor')
  @ApiOperation({
    summary: 'Retract a violation report',
    description:
      'Only the key that reported it, or an admin, may retract it (403 otherwise); a retracted report cannot be retracted again (422).',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async retract(
    @Param('id', PathId) violationId: string,
    @Body() body: RetractViolationRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new RetractViolationCommand(violationId, body, request)),
    );
  }
}
