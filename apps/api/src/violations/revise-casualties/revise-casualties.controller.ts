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
import { ReviseCasualtiesCommand } from './revise-casualties.command';
import { ReviseCasualtiesRequest } from './revise-casualties.request.dto';

@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1/violations')
export class ReviseCasualtiesController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/casualties')
  @Roles('monitor')
  @ApiOperation({
    summary: 'Revise the casualty figures of a violation report',
    description:
      'The new figures replace the current ones; every revision is kept with its reason and source.',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async revise(
    @Param('id', PathId) violationId: string,
    @Body() body: ReviseCasualtiesRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new ReviseCasualtiesCommand(violationId, body, request)),
    );
  }
}
