import {
  actors,
  deciderSpec,
  fulfilmentClaimed,
  obligationRegistered,
  obligationResumed,
  obligationSuspended,
  obligationWaived,
  oct2025Facts,
  OCT_2025,
  progressReported,
  reuters,
  deadlineAmended,
} from '@app/testing';
import {
  obligationDecider,
  type ObligationContext,
  type RegisterObligation,
  type ChangeObligationState,
  type VerifyObligation,
} from '@app/domain';
import { DuplicateId, NotFound, RuleViolated } from '../shared/errors';

const now = '2025-10-10T10:00:00.000Z';
const existing = [
  { obligationId: 'remains', conditions: [] },
  { obligationId: 'rafah', conditions: ['remains'] },
];
const context: ObligationContext = {
  now,
  actor: actors.coordinator,
  agreement: oct2025Facts,
  agreementObligations: existing,
};
const spec = deciderSpec(obligationDecider, context);

const register = (overrides: Partial<RegisterObligation['data']> = {}): RegisterObligation => ({
  type: 'RegisterObligation',
  data: {
    obligationId: 'hostages-living',
    agreementId: OCT_2025.agreementId,
    phaseKey: 'phase-1',
    kind: 'hostage_release',
    title: 'Release all living hostages',
    responsiblePartyId: 'hamas',
    beneficiaryPartyId: 'israel',
    ...overrides,
  },
});
const registered = obligationRegistered({ registeredAt: now });

describe('obligation decider', () => {
  describe('RegisterObligation', () => {
    it('registers an obligation with its deadline, target and conditions', () => {
      const command = register({
        obligationId: 'rafah-2',
        kind: 'crossing_reopening',
        title: 'Reopen the Rafah crossing',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: undefined,
        dueWithin: { hours: 168, after: 'conditions_met' },
        target: { quantity: 1, unit: 'crossing' },
        conditions: ['remains'],
        terms: { directions: ['entry', 'exit'] },
        sources: [reuters],
      });
      spec
        .given([])
        .when(command)
        .then([
          obligationRegistered({
            obligationId: 'rafah-2',
            kind: 'crossing_reopening',
            title: 'Reopen the Rafah crossing',
            responsiblePartyId: 'israel',
            beneficiaryPartyId: null,
            dueWithin: { hours: 168, after: 'conditions_met' },
            target: { quantity: 1, unit: 'crossing' },
            conditions: ['remains'],
            terms: { directions: ['entry', 'exit'] },
            sources: [reuters],
            registeredAt: now,
          }),
        ]);
    });

    it('normalises an absolute deadline to UTC', () => {
      spec
        .given([])
        .when(register({ dueAt: '2025-10-31T23:59:59+02:00' }))
        .then([obligationRegistered({ dueAt: '2025-10-31T21:59:59.000Z', registeredAt: now })]);
    });

    it('refuses an id that exists already', () => {
      spec.given([registered]).when(register()).thenThrows(DuplicateId);
    });

    it('answers not found when the agreement does not exist', () => {
      spec
        .given([])
        .when(register(), { ...context, agreement: null })
        .thenThrows(NotFound);
    });

    it('refuses a phase the agreement does not have', () => {
      spec
        .given([])
        .when(register({ phaseKey: 'phase-7' }))
        .thenThrows(RuleViolated, /phase-7/);
    });

    it('refuses a responsible party that is not in the agreement', () => {
      spec
        .given([])
        .when(register({ responsiblePartyId: 'unrwa' }))
        .thenThrows(RuleViolated, /unrwa/);
    });

    it('refuses a beneficiary that is not in the agreement', () => {
      spec
        .given([])
        .when(register({ beneficiaryPartyId: 'unrwa' }))
        .thenThrows(RuleViolated, /unrwa/);
    });

    it('refuses both an absolute and a relative deadline', () => {
      spec
        .given([])
        .when(
          register({
            dueAt: '2025-10-13T09:00:00Z',
            dueWithin: { hours: 72, after: 'agreement_effective' },
          }),
        )
        .thenThrows(RuleViolated, /not both/);
    });

    it('refuses a negative relative deadline', () => {
      spec
        .given([])
        .when(register({ dueWithin: { hours: -1, after: 'agreement_effective' } }))
        .thenThrows(RuleViolated);
    });

    it('refuses a deadline after conditions are met without any condition', () => {
      spec
        .given([])
        .when(register({ dueWithin: { hours: 24, after: 'conditions_met' } }))
        .thenThrows(RuleViolated, /condition/);
    });

    it('refuses a target of zero', () => {
      spec
        .given([])
        .when(register({ target: { quantity: 0, unit: 'hostages' } }))
        .thenThrows(RuleViolated, /quantity/);
    });

    it('refuses a condition that is not an obligation of the agreement', () => {
      spec
        .given([])
        .when(register({ conditions: ['disarmament'] }))
        .thenThrows(RuleViolated, /disarmament/);
    });

    it('refuses an obligation that is its own condition', () => {
      spec
        .given([])
        .when(register({ conditions: ['hostages-living'] }))
        .thenThrows(RuleViolated, /own condition/);
    });

    it('refuses conditions that would form a cycle', () => {
      // An obligation listed earlier already depends on the new id (registered out of order elsewhere).
      const withDependant: ObligationContext = {
        ...context,
        agreementObligations: [
          ...existing,
          { obligationId: 'aid', conditions: ['hostages-living'] },
        ],
      };
      spec
        .given([])
        .when(register({ conditions: ['aid'] }), withDependant)
        .thenThrows(RuleViolated, /cycle/);
    });

    it('refuses the same condition twice', () => {
      spec
        .given([])
        .when(register({ conditions: ['remains', 'remains'] }))
        .thenThrows(RuleViolated, /twice/);
    });

    it('refuses an unknown kind', () => {
      spec
        .given([])
        .when(register({ kind: 'annexation' as RegisterObligation['data']['kind'] }))
        .thenThrows(RuleViolated, /kind/);
    });
  });

  describe('ReportProgress', () => {
    const progress = (quantity = 4, occurredAt = '2025-10-10T09:30:00Z') =>
      ({
        type: 'ReportProgress',
        data: { obligationId: 'hostages-living', quantity, occurredAt, source: reuters },
      }) as const;

    it('records units delivered with when they were delivered', () => {
      spec
        .given([registered])
        .when(progress())
        .then([progressReported('hostages-living', 4, '2025-10-10T09:30:00.000Z', now)]);
    });

    it('answers not found for an obligation never registered', () => {
      spec.given([]).when(progress()).thenThrows(NotFound);
    });

    it('refuses a quantity of zero', () => {
      spec
        .given([registered])
        .when(progress(0))
        .thenThrows(RuleViolated, /quantity/);
    });

    it('refuses a delivery said to occur after it is recorded', () => {
      spec
        .given([registered])
        .when(progress(4, '2025-10-11T00:00:00Z'))
        .thenThrows(RuleViolated, /after/);
    });
  });

  describe('ClaimFulfilment', () => {
    const claim = (claimedByPartyId = 'hamas') =>
      ({
        type: 'ClaimFulfilment',
        data: {
          obligationId: 'hostages-living',
          claimedByPartyId,
          occurredAt: '2025-10-10T09:45:00Z',
          source: reuters,
        },
      }) as const;

    it('records the claim of a party', () => {
      const claimed = fulfilmentClaimed('hostages-living', '2025-10-10T09:45:00.000Z');
      spec
        .given([registered])
        .when(claim())
        .then([{ ...claimed, data: { ...claimed.data, recordedAt: now } }]);
    });

    it('answers not found for an obligation never registered', () => {
      spec.given([]).when(claim()).thenThrows(NotFound);
    });

    it('refuses a claiming party that is not in the agreement', () => {
      spec.given([registered]).when(claim('unrwa')).thenThrows(RuleViolated, /unrwa/);
    });

    it('refuses a claim that a rate obligation is fulfilled', () => {
      const rate = obligationRegistered({ target: { quantity: 600, unit: 'trucks', per: 'day' } });
      spec.given([rate]).when(claim()).thenThrows(RuleViolated, /rate/);
    });
  });

  describe('VerifyObligation', () => {
    const verify = (
      outcome: VerifyObligation['data']['outcome'],
      occurredAt?: string,
    ): VerifyObligation => ({
      type: 'VerifyObligation',
      data: {
        obligationId: 'hostages-living',
        outcome,
        note: 'checked by ICRC',
        occurredAt,
        source: null,
      },
    });
    const expected = (
      type: 'FulfilmentVerified' | 'FulfilmentDisputed' | 'BreachRecorded',
      occurredAt: string | null,
    ) => ({
      type,
      data: {
        obligationId: 'hostages-living',
        agreementId: OCT_2025.agreementId,
        note: 'checked by ICRC',
        occurredAt,
        source: null,
        recordedAt: now,
      },
    });

    it('records a verified fulfilment, with the time it gave', () => {
      spec
        .given([registered])
        .when(verify('verified', '2025-10-10T09:50:00Z'))
        .then([expected('FulfilmentVerified', '2025-10-10T09:50:00.000Z')]);
    });

    it('records a dispute', () => {
      spec
        .given([registered])
        .when(verify('disputed'))
        .then([expected('FulfilmentDisputed', null)]);
    });

    it('records a breach', () => {
      spec
        .given([registered])
        .when(verify('breached'))
        .then([expected('BreachRecorded', null)]);
    });

    it('answers not found for an obligation never registered', () => {
      spec.given([]).when(verify('verified')).thenThrows(NotFound);
    });

    it('refuses to judge a waived obligation', () => {
      spec
        .given([registered, obligationWaived('hostages-living', now)])
        .when(verify('breached'))
        .thenThrows(RuleViolated, /waived/);
    });

    it('refuses to verify a rate obligation as fulfilled', () => {
      const rate = obligationRegistered({ target: { quantity: 600, unit: 'trucks', per: 'day' } });
      spec.given([rate]).when(verify('verified')).thenThrows(RuleViolated, /rate/);
    });

    it('refuses a verification time after the time of recording', () => {
      spec
        .given([registered])
        .when(verify('verified', '2025-12-01T00:00:00Z'))
        .thenThrows(RuleViolated);
    });
  });

  describe('AmendDeadline', () => {
    const amend = (dueAt = '2025-10-31T00:00:00Z') =>
      ({
        type: 'AmendDeadline',
        data: { obligationId: 'hostages-living', dueAt, reason: 'renegotiated' },
      }) as const;

    it('records the new deadline and the one it replaces', () => {
      spec
        .given([obligationRegistered({ dueAt: '2025-10-13T09:00:00.000Z' })])
        .when(amend())
        .then([
          deadlineAmended(
            'hostages-living',
            '2025-10-31T00:00:00.000Z',
            now,
            '2025-10-13T09:00:00.000Z',
          ),
        ]);
    });

    it('chains amendments: the previous deadline is the latest amended one', () => {
      spec
        .given([registered, deadlineAmended('hostages-living', '2025-10-20T00:00:00.000Z', now)])
        .when(amend())
        .then([
          deadlineAmended(
            'hostages-living',
            '2025-10-31T00:00:00.000Z',
            now,
            '2025-10-20T00:00:00.000Z',
          ),
        ]);
    });

    it('answers not found for an obligation never registered', () => {
      spec.given([]).when(amend()).thenThrows(NotFound);
    });

    it('refuses to amend a waived obligation', () => {
      spec
        .given([registered, obligationWaived('hostages-living', now)])
        .when(amend())
        .thenThrows(RuleViolated);
    });

    it('refuses an amendment without a reason', () => {
      spec
        .given([registered])
        .when({
          type: 'AmendDeadline',
          data: { obligationId: 'hostages-living', dueAt: '2025-10-31T00:00:00Z', reason: '' },
        })
        .thenThrows(RuleViolated, /reason/);
    });
  });

  describe('ChangeObligationState', () => {
    const change = (
      action: ChangeObligationState['data']['action'],
      citedViolationIds?: string[],
    ): ChangeObligationState => ({
      type: 'ChangeObligationState',
      data: {
        obligationId: 'hostages-living',
        action,
        reason: 'suspended citing violations',
        citedViolationIds,
      },
    });

    it('records a suspension citing the other side’s violations', () => {
      spec
        .given([registered])
        .when(change('suspend', ['strike-1', 'strike-2']), {
          ...context,
          agreementViolationIds: ['strike-1', 'strike-2'],
        })
        .then([obligationSuspended('hostages-living', now, ['strike-1', 'strike-2'])]);
    });

    it('refuses to cite a report that is not on the obligation’s agreement (or does not exist)', () => {
      spec
        .given([registered])
        .when(change('suspend', ['strike-1', 'elsewhere']), {
          ...context,
          agreementViolationIds: ['strike-1'],
        })
        .thenThrows(RuleViolated, /violation elsewhere is not a report on agreement gaza-2025-10/);
    });

    it('resumes a suspended obligation', () => {
      const resume = change('resume');
      spec
        .given([registered, obligationSuspended('hostages-living', now)])
        .when({ ...resume, data: { ...resume.data, reason: 'resumed after mediation' } })
        .then([obligationResumed('hostages-living', now)]);
    });

    it('waives an obligation', () => {
      spec
        .given([registered])
        .when({
          ...change('waive'),
          data: { ...change('waive').data, reason: 'waived by the parties' },
        })
        .then([obligationWaived('hostages-living', now)]);
    });

    it('answers not found for an obligation never registered', () => {
      spec.given([]).when(change('suspend')).thenThrows(NotFound);
    });

    it('refuses to suspend a suspended obligation', () => {
      spec
        .given([registered, obligationSuspended('hostages-living', now)])
        .when(change('suspend'))
        .thenThrows(RuleViolated, /already/);
    });

    it('refuses to resume an obligation that is not suspended', () => {
      spec
        .given([registered])
        .when(change('resume'))
        .thenThrows(RuleViolated, /not suspended/);
      spec
        .given([
          registered,
          obligationSuspended('hostages-living', now),
          obligationResumed('hostages-living', now),
        ])
        .when(change('resume'))
        .thenThrows(RuleViolated);
    });

    it('refuses any change to a waived obligation', () => {
      const waived = [registered, obligationWaived('hostages-living', now)];
      spec
        .given(waived)
        .when(change('waive'))
        .thenThrows(RuleViolated, /waived/);
      spec
        .given(waived)
        .when(change('suspend'))
        .thenThrows(RuleViolated, /waived/);
    });

    it('refuses a change without a reason', () => {
      spec
        .given([registered])
        .when({
          type: 'ChangeObligationState',
          data: { obligationId: 'hostages-living', action: 'suspend', reason: ' ' },
        })
        .thenThrows(RuleViolated, /reason/);
    });
  });

  it('ignores events of an obligation that was never registered', () => {
    const state = obligationDecider.evolve(
      obligationDecider.initialState(),
      progressReported('x', 1, now),
    );
    expect(state).toEqual({ stage: 'initial' });
  });
});
