// Every migration, in order. Listed explicitly so the compiled apps need no file globbing.
import { EventStore1763780000000 } from './1763780000000-event-store';

export const MIGRATIONS = [EventStore1763780000000];
