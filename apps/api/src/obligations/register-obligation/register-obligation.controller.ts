import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { Write, WriteRequest } from '../../common/request-context';
import { respond } from '../../common/writes/respond';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { WriteResponseView } from '../../common/writes/write-response.view';
import { RegisterObligationCommand } from './register-obligation.command';
import { RegisterObligationRequest } from './register-obligation.request.dto';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('v1/agreements')
export class RegisterObligationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/obligations')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Register an obligation of the agreement',
    description:
      'Parties, phase and conditions must exist in the agreement and conditions may not form a cycle (422).',
  })
  @ApiCreatedResponse({ type: WriteResponseView })
  @WriteApiResponses()
  async register(
    @Param('id', PathId) agreementId: string,
    @Body() body: RegisterObligationRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return respond(
      reply,
      await this.commands.execute(new RegisterObligationCommand(agreementId, body, request)),
    );
  }
}
