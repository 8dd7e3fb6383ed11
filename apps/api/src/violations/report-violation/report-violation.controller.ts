import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/roles';
import { Write, WriteRequest } from '../../common/request-context';
import { respond } from '../../common/writes/respond';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { WriteResponseView } from '../../common/writes/write-response.view';
import { ReportViolationCommand } from './report-violation.command';
import { ReportViolationRequest } from './report-violation.request.dto';

@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1/violations')
export class ReportViolationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('monitor')
  @ApiOperation({
    summary: 'Report an alleged violation of an agreement, with its sources',
    description:
      'The reporting key is recorded; only it (or an admin) may later retract the report.',
  })
  @ApiCreatedResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async report(
    @Body() body: ReportViolationRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new ReportViolationCommand(body, request)));
  }
}
