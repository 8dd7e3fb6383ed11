import {
  deciderSpec,
  actors,
  oct2025Registered,
  phaseStarted,
  OCT_2025,
  healthMinistry,
} from '@app/testing';
import {
  agreementDecider,
  agreementFacts,
  fold,
  type RegisterAgreement,
  type RecordCasualtyTally,
} from '@app/domain';
import { DuplicateId, NotFound, RuleViolated } from '../shared/errors';

const now = '2025-10-10T10:00:00.000Z';
const spec = deciderSpec(agreementDecider, { now, actor: actors.coordinator });

const register = (overrides: Partial<RegisterAgreement['data']> = {}): RegisterAgreement => ({
  type: 'RegisterAgreement',
  data: {
    agreementId: OCT_2025.agreementId,
    title: 'Gaza ceasefire (20-point plan)',
    effectiveAt: '2025-10-10T12:00:00+03:00',
    signedAt: '2025-10-09T00:00:00Z',
    parties: oct2025Registered().data.parties,
    phases: [
      { key: 'phase-1', title: 'Ceasefire and exchange' },
      { key: 'phase-2', title: 'Disarmament and transition', startsAt: null },
    ],
    sources: [{ name: 'Reuters', kind: 'media' }],
    ...overrides,
  },
});

describe('agreement decider', () => {
  describe('RegisterAgreement', () => {
    it('registers the agreement with its times in UTC', () => {
      spec
        .given([])
        .when(register())
        .then([oct2025Registered(now)]);
    });

    it('refuses an id that exists already', () => {
      spec.given([oct2025Registered()]).when(register()).thenThrows(DuplicateId);
    });

    it('refuses an agreement with fewer than two parties', () => {
      spec
        .given([])
        .when(register({ parties: [{ id: 'israel', name: 'Israel', role: 'signatory' }] }))
        .thenThrows(RuleViolated, /two parties/);
    });

    it('refuses the same party twice', () => {
      const party = { id: 'israel', name: 'Israel', role: 'signatory' } as const;
      spec
        .given([])
        .when(register({ parties: [party, party] }))
        .thenThrows(RuleViolated, /israel/);
    });

    it('refuses an agreement without phases', () => {
      spec
        .given([])
        .when(register({ phases: [] }))
        .thenThrows(RuleViolated, /phase/);
    });

    it('refuses the same phase key twice', () => {
      spec
        .given([])
        .when(
          register({
            phases: [
              { key: 'phase-1', title: 'a' },
              { key: 'phase-1', title: 'b' },
            ],
          }),
        )
        .thenThrows(RuleViolated, /phase-1/);
    });

    it('refuses a blank title', () => {
      spec
        .given([])
        .when(register({ title: '  ' }))
        .thenThrows(RuleViolated, /title/);
    });

    it('refuses an unparsable effective time', () => {
      spec
        .given([])
        .when(register({ effectiveAt: 'soon' }))
        .thenThrows(RuleViolated, /effectiveAt/);
    });
  });

  describe('StartPhase', () => {
    const start = (phaseKey = 'phase-1', startedAt = '2025-10-10T09:00:00Z') =>
      ({
        type: 'StartPhase',
        data: { agreementId: OCT_2025.agreementId, phaseKey, startedAt },
      }) as const;

    it('records when the phase started', () => {
      spec
        .given([oct2025Registered()])
        .when(start())
        .then([phaseStarted('phase-1', '2025-10-10T09:00:00.000Z', now)]);
    });

    it('answers not found for an unknown agreement', () => {
      spec.given([]).when(start()).thenThrows(NotFound);
    });

    it('answers not found for a phase the agreement does not have', () => {
      spec
        .given([oct2025Registered()])
        .when(start('phase-9'))
        .thenThrows(NotFound, /phase-9/);
    });

    it('refuses to start a phase twice', () => {
      spec
        .given([oct2025Registered(), phaseStarted('phase-1', '2025-10-10T09:00:00.000Z')])
        .when(start())
        .thenThrows(RuleViolated, /started already/);
    });
  });

  describe('RecordCasualtyTally', () => {
    const tally = (overrides: Partial<RecordCasualtyTally['data']> = {}): RecordCasualtyTally => ({
      type: 'RecordCasualtyTally',
      data: {
        agreementId: OCT_2025.agreementId,
        tallyId: 'tally-1',
        source: healthMinistry,
        asOf: '2025-11-10T00:00:00Z',
        killed: 242,
        injured: 622,
        attributedToPartyId: 'israel',
        ...overrides,
      },
    });
    const later = { now: '2025-11-11T08:00:00.000Z', actor: actors.monitor };

    it('records a cumulative figure on the agreement stream', () => {
      spec
        .given([oct2025Registered()])
        .when(tally(), later)
        .then([
          {
            type: 'CasualtyTallyRecorded',
            data: {
              agreementId: OCT_2025.agreementId,
              tallyId: 'tally-1',
              source: healthMinistry,
              asOf: '2025-11-10T00:00:00.000Z',
              killed: 242,
              injured: 622,
              attributedToPartyId: 'israel',
              note: null,
              recordedAt: later.now,
            },
          },
        ]);
    });

    it('records a tally attributed to no party', () => {
      const events = agreementDecider.decide(
        tally({ attributedToPartyId: undefined }),
        fold(agreementDecider, [oct2025Registered()]),
        later,
      );
      expect(
        events[0].type === 'CasualtyTallyRecorded' && events[0].data.attributedToPartyId,
      ).toBeNull();
    });

    it('answers not found for an unknown agreement', () => {
      spec.given([]).when(tally(), later).thenThrows(NotFound);
    });

    it('refuses a party that is not in the agreement', () => {
      spec
        .given([oct2025Registered()])
        .when(tally({ attributedToPartyId: 'hezbollah' }), later)
        .thenThrows(RuleViolated);
    });

    it('refuses negative or fractional figures', () => {
      spec
        .given([oct2025Registered()])
        .when(tally({ killed: -1 }), later)
        .thenThrows(RuleViolated, /killed/);
      spec
        .given([oct2025Registered()])
        .when(tally({ injured: 1.5 }), later)
        .thenThrows(RuleViolated, /injured/);
    });

    it('refuses a tally as of a time after it is recorded', () => {
      spec
        .given([oct2025Registered()])
        .when(tally({ asOf: '2025-12-01T00:00:00Z' }), later)
        .thenThrows(RuleViolated);
    });

    it('refuses the same tally id twice', () => {
      const first = agreementDecider.decide(
        tally(),
        fold(agreementDecider, [oct2025Registered()]),
        later,
      );
      spec
        .given([oct2025Registered(), ...first])
        .when(tally(), later)
        .thenThrows(DuplicateId);
    });
  });

  describe('agreementFacts', () => {
    it('gives the parties, phases and effective time the other aggregates check against', () => {
      expect(agreementFacts(fold(agreementDecider, [oct2025Registered()]))).toEqual({
        agreementId: OCT_2025.agreementId,
        effectiveAt: OCT_2025.effectiveAt,
        partyIds: [...OCT_2025.partyIds],
        phaseKeys: [...OCT_2025.phaseKeys],
      });
    });

    it('is null for an agreement that does not exist', () => {
      expect(agreementFacts(agreementDecider.initialState())).toBeNull();
    });

    it('keeps when each phase started', () => {
      const state = fold(agreementDecider, [
        oct2025Registered(),
        phaseStarted('phase-1', OCT_2025.effectiveAt),
      ]);
      expect(state.stage === 'registered' && state.phases.map((phase) => phase.startedAt)).toEqual([
        OCT_2025.effectiveAt,
        null,
      ]);
    });
  });
});
