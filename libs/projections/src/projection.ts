// What a projection is: a name, a version, the event types it handles and a batch handler that
// writes its tables inside the runner's transaction.
import type { StoredEvent } from '@app/event-store';
import type { DomainEvent, DomainEventType } from '@app/domain';
import { isDomainEventType } from '@app/domain';
import type { PoolClient } from 'pg';

export interface Projection {
  readonly name: string;
  /** Bump when the tables or handlers change meaning (a rebuild is then due). */
  readonly version: number;
  /**
   * The tables it owns and nobody else writes (created by migrations). Rebuilds build copies of
   * them in a shadow schema and swap them in; as-of replays fold into temporary copies.
   */
  readonly tables: readonly string[];
  readonly handledEventTypes: readonly DomainEventType[];
  /**
   * Applies a batch (feed order, only handled types) inside the runner's transaction. `now` is the
   * time statuses are computed at.
   */
  apply(events: readonly StoredEvent[], client: PoolClient, now: Date): Promise<void>;
}

/** A stored event as the domain union, for handlers that switch on `type`. */
export interface ProjectedEvent {
  readonly event: DomainEvent;
  readonly stored: StoredEvent;
}

/** A stored event of a domain type as the domain union (the caller knows its type is one). */
export const asDomainEvent = (stored: StoredEvent): DomainEvent =>
  ({ type: stored.type, data: stored.data }) as DomainEvent;

export function asDomainEvents(events: readonly StoredEvent[]): ProjectedEvent[] {
  return events
    .filter((stored) => isDomainEventType(stored.type))
    .map((stored) => ({ event: asDomainEvent(stored), stored }));
}

/** Groups by a key, keeping first-seen order of keys and feed order inside each group. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The agreement every domain event belongs to (each event's data names it). */
export function agreementIdOf(event: DomainEvent): string {
  return event.data.agreementId;
}
