import { actors, healthMinistry, reuters, unOcha, violationReported, OCT_2025 } from '@app/testing';
import {
  computeVerificationLevel,
  independentSourceCount,
  verificationNoteOf,
  violationDecider,
  type Source,
  type ViolationEvent,
  type ViolationRecord,
} from '@app/domain';

const ID = 'strike-gaza-city-1';
const at = '2025-10-21T00:00:00.000Z';
const ids = { violationId: ID, agreementId: OCT_2025.agreementId };
const sourceAdded = (source: Source): ViolationEvent => ({
  type: 'ViolationSourceAdded',
  data: { ...ids, source, recordedAt: at },
});
const disputed: ViolationEvent = {
  type: 'ViolationDisputed',
  data: { ...ids, partyId: 'israel', statement: 'denied', source: null, recordedAt: at },
};
const confirmed: ViolationEvent = {
  type: 'ViolationConfirmed',
  data: { ...ids, note: 'imagery matches', recordedAt: at },
};
const discounted: ViolationEvent = {
  type: 'ViolationDiscounted',
  data: { ...ids, note: 'wrong location', recordedAt: at },
};
const retracted: ViolationEvent = {
  type: 'ViolationRetracted',
  data: { ...ids, reason: 'duplicate', recordedAt: at },
};

function violation(...events: ViolationEvent[]): ViolationRecord {
  const state = [violationReported(), ...events].reduce(
    violationDecider.evolve,
    violationDecider.initialState(),
  );
  if (state.stage !== 'reported') throw new Error('not reported');
  return state;
}
const levelOf = (...events: ViolationEvent[]) => computeVerificationLevel(violation(...events));

describe('verification level (API.md order)', () => {
  it('a fresh report from one source is reported', () => {
    expect(levelOf()).toBe('reported');
  });

  it('a second source from another group corroborates the report', () => {
    expect(levelOf(sourceAdded(reuters))).toBe('corroborated');
  });

  it('two outlets repeating one wire story, given the same group, do not corroborate each other', () => {
    const wire = (name: string): Source => ({ name, kind: 'media', independenceGroup: 'AP wire' });
    const state = [violationReported({ sources: [wire('Outlet A'), wire('Outlet B')] })].reduce(
      violationDecider.evolve,
      violationDecider.initialState(),
    );
    if (state.stage !== 'reported') throw new Error('not reported');
    expect(independentSourceCount(state)).toBe(1);
    expect(computeVerificationLevel(state)).toBe('reported');
  });

  it('the same outlet named twice (whatever the case) is still one source', () => {
    expect(levelOf(sourceAdded({ name: 'gaza health ministry ' }))).toBe('reported');
  });

  it('a source given the group of an earlier one adds nothing', () => {
    expect(
      levelOf(
        sourceAdded({ name: 'Ministry press office', independenceGroup: healthMinistry.name }),
      ),
    ).toBe('reported');
  });

  it('a dispute by the accused party makes the report contested, even when corroborated', () => {
    expect(levelOf(sourceAdded(unOcha), disputed)).toBe('contested');
  });

  it('a verifier’s confirmation outranks a dispute', () => {
    expect(levelOf(disputed, confirmed)).toBe('confirmed');
  });

  it('a verifier’s discount outranks corroboration and disputes', () => {
    expect(levelOf(sourceAdded(reuters), disputed, discounted)).toBe('discounted');
  });

  // API.md "Verification level (computed), the first that applies: `retracted` > `discounted` >
  // `confirmed` > ...": any discount outranks any confirmation, whichever came last.
  it('a discount outranks a confirmation, whichever the verifier recorded last', () => {
    expect(levelOf(confirmed, discounted)).toBe('discounted');
    expect(levelOf(discounted, confirmed)).toBe('discounted');
    expect(levelOf(discounted, confirmed, confirmed)).toBe('discounted');
  });

  it('a retraction outranks everything', () => {
    expect(levelOf(sourceAdded(reuters), disputed, confirmed, retracted)).toBe('retracted');
    expect(levelOf(discounted, retracted)).toBe('retracted');
  });

  it('the verification note is the note of the verdict that sets the level', () => {
    const reconfirmed: ViolationEvent = {
      type: 'ViolationConfirmed',
      data: { ...ids, note: 'second look: imagery matches', recordedAt: at },
    };
    expect(verificationNoteOf(violation())).toBeNull();
    expect(verificationNoteOf(violation(disputed))).toBeNull();
    expect(verificationNoteOf(violation(confirmed))).toBe('imagery matches');
    expect(verificationNoteOf(violation(confirmed, reconfirmed))).toBe(
      'second look: imagery matches',
    );
    expect(verificationNoteOf(violation(confirmed, discounted))).toBe('wrong location');
    // Discounted, then confirmed: still discounted, so the discount's note, not the later one.
    expect(verificationNoteOf(violation(discounted, confirmed))).toBe('wrong location');
  });

  it('records who reported it', () => {
    expect(violation().reportedBy).toEqual({
      keyId: actors.monitor.keyId,
      name: actors.monitor.name,
    });
  });
});
