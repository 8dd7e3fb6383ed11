import { Query } from '@nestjs/cqrs';
import type { ProjectionStatusView } from './projection-status.view';

export class ListProjectionsQuery extends Query<{ items: ProjectionStatusView[] }> {}
