// Folding a batch onto stored per-stream states: an event applies only when its stream version is
// newer than the one stored, so projecting the same events twice changes nothing.
import type { PoolClient } from 'pg';
import type { DomainEvent } from '@app/domain';
import type { ProjectedEvent } from './projection';
import { groupBy } from './projection';

export interface Folded<State> {
  state: State;
  streamVersion: number;
  /** recordedAt of the newest event folded in this batch. */
  lastRecordedAt: Date | null;
  changed: boolean;
}

export function foldBatch<State, Event extends DomainEvent>(
  events: readonly ProjectedEvent[],
  idOf: (event: Event) => string,
  stored: ReadonlyMap<string, { state: State; streamVersion: number }>,
  initial: () => State,
  evolve: (state: State, event: Event) => State,
): Map<string, Folded<State>> {
  const result = new Map<string, Folded<State>>();
  for (const [id, group] of groupBy(events, (e) => idOf(e.event as Event))) {
    const before = stored.get(id);
    const folded: Folded<State> = {
      state: before?.state ?? initial(),
      streamVersion: before?.streamVersion ?? 0,
      lastRecordedAt: null,
      changed: false,
    };
    for (const { event, stored: s } of group) {
      if (s.streamVersion <= folded.streamVersion) continue;
      folded.state = evolve(folded.state, event as Event);
      folded.streamVersion = s.streamVersion;
      folded.lastRecordedAt = s.recordedAt;
      folded.changed = true;
    }
    result.set(id, folded);
  }
  return result;
}

export type StoredStates<State> = Map<string, { state: State; streamVersion: number }>;

/**
 * The stored states of `ids` in a projection table of (id, record, stream_version) rows, for
 * foldBatch. `lock` takes their row locks (FOR UPDATE) for the rest of the transaction: a
 * projection whose rows are not already guarded by another lock must not let a concurrent batch
 * fold onto the same versions.
 */
export async function readStoredStates<State>(
  client: PoolClient,
  table: { name: string; idColumn: string },
  ids: readonly string[],
  lock: boolean,
): Promise<StoredStates<State>> {
  const { rows } = await client.query<{ id: string; record: State; stream_version: number }>(
    `SELECT ${table.idColumn} AS id, record, stream_version FROM ${table.name}
      WHERE ${table.idColumn} = ANY ($1::text[])${lock ? ' FOR UPDATE' : ''}`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { state: r.record, streamVersion: r.stream_version }]));
}
