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
import { AddViolationSourceCommand } from './add-violation-source.command';
import { AddViolationSourceRequest } from './add-violation-source.request.dto';

@ApiTags('violations')
@ApiBearerAuth()
@Controller('v1/violations')
export class AddViolationSourceController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/sources')
  @Roles('monitor')
  @ApiOperation({
    summary: 'Add a source to a violation report',
    description: 'A source from another independence group corroborates the report.',
  })
  @ApiOkResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async addSource(
    @Param('id', PathId) violationId: string,
    @Body() body: AddViolationSourceRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new AddViolationSourceCommand(violationId, body, request)),
    );
  }
}
