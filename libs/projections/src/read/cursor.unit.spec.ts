import { InvalidCursor } from '@app/event-store';
import { obligationRegistered, violationReported } from '@app/testing';
import { summarise } from '../timeline/timeline-summary';
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

describe('timeline sentences', () => {
  const metadata = { actor: { keyId: 'k', name: 'Coordination desk', role: 'coordinator' } };

  it('says who recorded an obligation, with its deadline and conditions', () => {
    expect(
      summarise(
        obligationRegistered({
          title: 'Reopen Rafah',
          responsiblePartyId: 'israel',
          conditions: ['remains'],
          dueWithin: { hours: 168, after: 'conditions_met' },
        }),
        metadata,
      ),
    ).toBe(
      'Coordination desk (coordinator) registered obligation "Reopen Rafah" of israel in phase-1, due within 168 hours of conditions met, after remains',
    );
  });

  it('names the sources of a violation report', () => {
    expect(summarise(violationReported(), {})).toBe(
      'Someone reported airstrike by israel at Gaza City on 2025-10-20T14:00:00.000Z, 1 killed and 4 injured (sources: Gaza Health Ministry)',
    );
  });
});
