// The key list's opaque cursor: base64url of the last key's id. Keys are never deleted and the
// list is ordered by (createdAt, id), so an id marks a place in it for good.
import { InvalidCursor } from '@app/event-store';
import { UUID_PATTERN } from '@app/shared/api-keys/api-keys.store';

export const encodeApiKeyCursor = (id: string): string =>
  Buffer.from(`k1.${id}`, 'utf8').toString('base64url');

/** The key id to continue after; null for the first page. Throws InvalidCursor (a 400). */
export function decodeApiKeyCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  if (cursor.length > 100 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursor();
  const match = /^k1\.(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !UUID_PATTERN.test(match[1])) throw new InvalidCursor();
  return match[1].toLowerCase();
}
