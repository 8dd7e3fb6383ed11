import { Command } from '@nestjs/cqrs';

/** Queue a rebuild of one projection; answers the job id (an already queued one is reused). */
export class RebuildProjectionCommand extends Command<{ jobId: string } | null> {
  constructor(readonly projection: string) {
    super();
  }
}
