import { Query } from '@nestjs/cqrs';
import type { JobView } from './job.view';

export class GetJobQuery extends Query<JobView | null> {
  constructor(readonly jobId: string) {
    super();
  }
}
