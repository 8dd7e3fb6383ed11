import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/roles';
import { Write, WriteRequest } from '../../common/request-context';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { respond } from '../../common/writes/respond';
import { WriteResponseView } from '../../common/writes/write-response.view';
import { RegisterAgreementCommand } from './register-agreement.command';
import { RegisterAgreementRequest } from './register-agreement.request.dto';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('v1/agreements')
export class RegisterAgreementController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Register an agreement with its parties and phases' })
  @ApiCreatedResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async register(
    @Body() body: RegisterAgreementRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(reply, await this.commands.execute(new RegisterAgreementCommand(body, request)));
  }
}
