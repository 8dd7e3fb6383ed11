import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { projectionStatus } from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { ListProjectionsQuery } from './list-projections.query';
import type { ProjectionStatusView } from './projection-status.view';

@QueryHandler(ListProjectionsQuery)
export class ListProjectionsHandler implements IQueryHandler<ListProjectionsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(): Promise<{ items: ProjectionStatusView[] }> {
    const statuses = await projectionStatus(this.pool);
    return {
      items: statuses.map((s) => ({
        ...s,
        updatedAt: s.updatedAt.toISOString(),
        lastAppliedAt: s.lastAppliedAt?.toISOString() ?? null,
      })),
    };
  }
}
