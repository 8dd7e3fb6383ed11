// Opaque keyset cursors for the lists: base64url of the list's name and the last row's position.
// For the read lists that is its seq, handed out when a row is first projected, in feed order, so
// a cursor stays valid and skips nothing that was there while new rows arrive; the API-key list,
// ordered by creation, continues after a key's id (keys are never deleted).
import { InvalidCursor } from '@app/event-store';

export type ListName = 'agreements' | 'obligations' | 'violations' | 'timeline' | 'api-keys';

/** A seq: what the read lists' cursors carry. */
const SEQ = /^\d{1,18}$/;

export function encodeListCursor(list: ListName, position: string | number): string {
  return Buffer.from(`l1.${list}.${position}`, 'utf8').toString('base64url');
}

/**
 * The position to continue after (a seq, unless `position` says what else it must look like);
 * null for the first page. Throws InvalidCursor (VALIDATION_FAILED).
 */
export function decodeListCursor(
  list: ListName,
  cursor: string | null | undefined,
  position: RegExp = SEQ,
): string | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  if (cursor.length > 100 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursor();
  const match = /^l1\.([a-z-]+)\.(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || match[1] !== list || !position.test(match[2])) throw new InvalidCursor();
  return match[2];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Clamps a limit the HTTP layer has already validated (1-500). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  return Math.max(1, Math.min(Math.trunc(limit), MAX_LIMIT));
}

/** Rows fetched with limit + 1: the page, and a cursor when there is more. */
export function toPage<Row extends { seq: string }, T>(
  list: ListName,
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(map),
    nextCursor: more ? encodeListCursor(list, pageRows[pageRows.length - 1].seq) : null,
  };
}

export const isoOrNull = (d: Date | null | undefined): string | null =>
  d === null || d === undefined ? null : d.toISOString();

/**
 * SQL formatting a timestamptz column as Date.toISOString() would (UTC, milliseconds, "Z"), or
 * NULL: a page of rows is then sent without a Date made and formatted again for each time.
 */
export const isoTimestamp = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
