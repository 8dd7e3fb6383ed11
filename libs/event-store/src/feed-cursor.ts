// The feed's position is the pair (transaction id, global position); clients see it as an
// opaque string.

export interface FeedPosition {
  transactionId: bigint;
  globalPosition: bigint;
}

export const FEED_START: FeedPosition = { transactionId: 0n, globalPosition: 0n };

/** Feed order: negative when `a` comes before `b`, positive after, 0 at the same position. */
export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.globalPosition !== b.globalPosition) return a.globalPosition < b.globalPosition ? -1 : 1;
  return 0;
}

/** The first of some positions in feed order. */
export function earliestPosition(positions: readonly FeedPosition[]): FeedPosition {
  return positions.reduce((min, p) => (comparePositions(p, min) < 0 ? p : min));
}

export class InvalidCursor extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor() {
    super('cursor is not one this service issued');
    this.name = 'InvalidCursor';
  }
}

export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(`f1.${p.transactionId}.${p.globalPosition}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): FeedPosition {
  if (cursor === undefined || cursor === null || cursor === '') return FEED_START;
  if (cursor.length > 100 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursor();
  const m = /^f1\.(\d{1,20})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new InvalidCursor();
  const position = { transactionId: BigInt(m[1]), globalPosition: BigInt(m[2]) };
  if (position.transactionId >= 2n ** 64n || position.globalPosition >= 2n ** 63n) {
    throw new InvalidCursor();
  }
  return position;
}

export function positionText(p: FeedPosition): string {
  return `${p.transactionId}:${p.globalPosition}`;
}
