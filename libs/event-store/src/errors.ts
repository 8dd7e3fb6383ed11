import type { ExpectedVersion } from './types';

/** The stream moved on since the caller read it (or exists / does not exist, against the expectation). */
export class VersionConflict extends Error {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'VersionConflict';
  }
}

/** An event id given to append was already used for a different append. */
export class EventIdConflict extends Error {
  readonly code = 'DUPLICATE_ID';
  constructor(readonly streamId: string) {
    super(`an event id in this append was already used by another append (stream ${streamId})`);
    this.name = 'EventIdConflict';
  }
}

/** The stream exists with another type. */
export class StreamTypeMismatch extends Error {
  readonly code = 'RULE_VIOLATED';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} exists with another stream type`);
    this.name = 'StreamTypeMismatch';
  }
}
