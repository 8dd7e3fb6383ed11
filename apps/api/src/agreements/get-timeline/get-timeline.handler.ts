import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { getAgreement, timeline } from '@app/projections';
import { EventStore } from '@app/event-store';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { GetTimelineQuery } from './get-timeline.query';

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  async execute({ agreementId, cursor, limit }: GetTimelineQuery) {
    const page = await timeline(this.pool, this.store, agreementId, cursor, limit);
    // A known agreement always has its registration in the timeline, so only an empty page
    // needs the extra look-up to tell "unknown agreement" from "walked past the end".
    if (page.items.length === 0 && (await getAgreement(this.pool, agreementId)) === null) {
      return null;
    }
    return page;
  }
}
