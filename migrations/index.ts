// Every migration, in order. Listed explicitly so the compiled apps need no file globbing.
import { EventStore1763780000000 } from './1763780000000-event-store';
import { ApiKeysAndIdempotency1763790000000 } from './1763790000000-api-keys-and-idempotency';

export const MIGRATIONS = [EventStore1763780000000, ApiKeysAndIdempotency1763790000000];
