// Who recorded an event, from its metadata's actor.
import type { TimelineRecorder } from './timeline-entry';

/**
 * Name and role only. The key id is no secret, but it is an operator's handle: it means something
 * to admins (who manage keys) and auditors (who read it in the metadata of /v1/streams), not to
 * the readers this account is written for, and the widest-read endpoint need not list which keys
 * wrote what. Adding it later is a compatible change; removing it would not be.
 */
export function recorderOf(metadata: Record<string, unknown>): TimelineRecorder | null {
  const actor = metadata.actor as { name?: unknown; role?: unknown } | undefined;
  if (!actor || typeof actor.name !== 'string' || typeof actor.role !== 'string') return null;
  return { name: actor.name, role: actor.role };
}

/** "Field monitor (monitor)", the opening of every sentence. */
export function describeRecorder(recorder: TimelineRecorder | null): string {
  return recorder ? `${recorder.name} (${recorder.role})` : 'Someone';
}
