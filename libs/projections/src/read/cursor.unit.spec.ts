import { InvalidCursor } from '@app/event-store';
import { decodeListCursor, encodeListCursor, pageLimit } from './cursor';

describe('list cursors', () => {
  it('reads back the position a page ended at', () => {
    expect(decodeListCursor('violations', encodeListCursor('violations', 42))).toBe('42');
    expect(decodeListCursor('timeline', null)).toBeNull();
    expect(decodeListCursor('timeline', '')).toBeNull();
  });

  it('refuses a forged or foreign cursor as a validation failure', () => {
    for (const forged of ['%%%', 'bm9wZQ', Buffer.from('l1.timeline.-1').toString('base64url')]) {
      expect(() => decodeListCursor('timeline', forged)).toThrow(InvalidCursor);
    }
    expect(() => decodeListCursor('timeline', encodeListCursor('obligations', 3))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('keeps page sizes within 1-500, 50 by default', () => {
    expect(pageLimit(undefined)).toBe(50);
    expect(pageLimit(0)).toBe(1);
    expect(pageLimit(10_000)).toBe(500);
  });
});
