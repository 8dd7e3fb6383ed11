// Every violation report matching the filters, page by page through the list's keyset cursor (the
// exports stream them). The first page is read before anything is returned, so a failure to read
// is an error response, not a truncated download.
import type { Page, ViolationFilters, ViolationReadModel } from '@app/projections';
import { listViolations, MAX_LIMIT } from '@app/projections';
import type { Pool } from 'pg';

export async function walkViolations(
  pool: Pick<Pool, 'query'>,
  filters: ViolationFilters,
): Promise<AsyncIterable<ViolationReadModel>> {
  const first = await listViolations(pool, filters, null, MAX_LIMIT);
  return (async function* pages(): AsyncGenerator<ViolationReadModel> {
    let page: Page<ViolationReadModel> = first;
    for (;;) {
      yield* page.items;
      if (page.nextCursor === null) return;
      page = await listViolations(pool, filters, page.nextCursor, MAX_LIMIT);
    }
  })();
}
