import { randomUUID } from 'node:crypto';

/** Client-chosen ids: 1-64 chars of a-z0-9- , or a UUID (API.md conventions). */
export const SLUG_PATTERN = /^[a-z0-9-]{1,64}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isValidId(id: string): boolean {
  return SLUG_PATTERN.test(id) || UUID_PATTERN.test(id);
}

export function newId(): string {
  return randomUUID();
}
