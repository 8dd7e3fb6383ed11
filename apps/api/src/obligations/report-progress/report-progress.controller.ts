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
import { ReportProgressCommand } from './report-progress.command';
import { ReportProgressRequest } from './report-progress.request.dto';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('v1/obligations')
export class ReportProgressController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/progress')
  @Roles('monitor')
  @ApiOperation({ summary: 'Report units delivered towards an obligation ("4 more hostages")' })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async report(
    @Param('id', PathId) obligationId: string,
    @Body() body: ReportProgressRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new ReportProgressCommand(obligationId, body, request)),
    );
  }
}
