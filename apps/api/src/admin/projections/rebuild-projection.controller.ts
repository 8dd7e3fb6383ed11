import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { PathId } from '../../common/validation/path-id.pipe';
import { foundOr404 } from '../../reads/found';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { JobAcceptedView } from '../jobs/job.view';
import { RebuildProjectionCommand } from './rebuild-projection.command';

@ApiTags('admin')
@Controller('v1/admin/projections')
export class RebuildProjectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':name/rebuild')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({
    summary: 'Rebuild a projection without downtime',
    description:
      'The worker builds shadow tables from the start of the feed, catches up to the head and swaps them in one transaction; reads answer from the old tables until then. Follow the job at GET /v1/admin/jobs/{jobId}. A rebuild already queued or running is not queued twice: its job id is answered.',
  })
  @ApiAcceptedResponse({ type: JobAcceptedView })
  @ReadApiResponses({ forbidden: true, notFound: true })
  async rebuild(@Param('name', PathId) name: string): Promise<JobAcceptedView> {
    return foundOr404(
      await this.commands.execute(new RebuildProjectionCommand(name)),
      `projection ${name}`,
    );
  }
}
