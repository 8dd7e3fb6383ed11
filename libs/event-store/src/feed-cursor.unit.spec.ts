import { decodeCursor, encodeCursor, FEED_START, InvalidCursor } from './feed-cursor';

describe('feed cursor', () => {
  it('round-trips a position and starts at the beginning without one', () => {
    const p = { transactionId: 18446744073709551615n, globalPosition: 9223372036854775807n };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    expect(decodeCursor(undefined)).toEqual(FEED_START);
    expect(decodeCursor('')).toEqual(FEED_START);
  });

  it.each([
    'not a cursor',
    'Zm9v',
    Buffer.from('f1.1.-2').toString('base64url'),
    'x'.repeat(200),
    Buffer.from('f1.99999999999999999999.1').toString('base64url'),
  ])('refuses a forged cursor %s', (c) => {
    expect(() => decodeCursor(c)).toThrow(InvalidCursor);
  });
});
