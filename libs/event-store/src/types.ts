export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/** An event as the caller hands it to append. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Defaults to a new UUID; give one to make a retried append idempotent. */
  eventId?: string;
  type: Type;
  /** Defaults to 1. */
  schemaVersion?: number;
  data: Data;
  metadata?: Record<string, unknown>;
  /** When it happened in the world (null when that is not a meaningful question). */
  occurredAt?: Date | string | null;
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append. */
  streamVersion: number;
  /** global_position of the first and last event written (or found, for a replay). */
  firstPosition: number;
  lastPosition: number;
  /** True when every event id existed already: nothing was written. */
  duplicate: boolean;
  events: Array<{ eventId: string; streamVersion: number; position: number; hash: string }>;
  recordedAt: Date;
}

/** An event as read back, upcast to its newest shape. */
export interface StoredEvent<Type extends string = string, Data = unknown> {
  position: number;
  transactionId: string;
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: Record<string, unknown>;
  occurredAt: Date | null;
  recordedAt: Date;
  prevHash: string;
  hash: string;
}

export interface FeedPage {
  items: StoredEvent[];
  /** Resume from here; equals the request's cursor when nothing new was committed. */
  nextCursor: string;
}

export type ProblemKind =
  'hash_mismatch' | 'chain_break' | 'version_gap' | 'seal_mismatch' | 'missing_events';

export interface IntegrityProblem {
  kind: ProblemKind;
  streamId?: string;
  streamVersion?: number;
  position?: number;
  sealNo?: number;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  sealsChecked: number;
  problems: IntegrityProblem[];
}

export interface Seal {
  sealNo: number;
  fromCursor: string;
  toCursor: string;
  toPosition: number;
  eventCount: number;
  digest: string;
  prevSealHash: string;
  sealHash: string;
  sealedAt: Date;
}
