import { Query } from '@nestjs/cqrs';
import type { Page, TimelineItem } from '@app/projections';

/** Null when the agreement is unknown. */
export class GetTimelineQuery extends Query<Page<TimelineItem> | null> {
  constructor(
    readonly agreementId: string,
    readonly cursor: string | undefined,
    readonly limit: number | undefined,
  ) {
    super();
  }
}
