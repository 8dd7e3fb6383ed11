import {
  breachRecorded,
  deadlineAmended,
  fulfilmentClaimed,
  fulfilmentDisputed,
  fulfilmentVerified,
  obligationFrom,
  obligationRegistered,
  obligationResumed,
  obligationSuspended,
  obligationWaived,
  OCT_2025,
  progressReported,
} from '@app/testing';
import {
  agreementAnchors,
  agreementDecider,
  computeAgreementObligationStatuses,
  computeObligationStatus,
  firstWindowStartAtOrAfter,
  fold,
  type ConditionStatus,
  type ObligationEvent,
  type ObligationStatusInputs,
  type StatusAnchors,
} from '@app/domain';
import { oct2025Registered, phaseStarted } from '@app/testing';
import fc from 'fast-check';

const EFFECTIVE = OCT_2025.effectiveAt; // 2025-10-10T09:00Z
const DEADLINE_72H = '2025-10-13T09:00:00.000Z';
const anchors: StatusAnchors = { agreementEffectiveAt: EFFECTIVE, phaseStartedAt: EFFECTIVE };
const noConditions: ObligationStatusInputs = { anchors, conditions: [] };

const ID = 'hostages-living';
const within72h = obligationRegistered({
  obligationId: ID,
  target: { quantity: 20, unit: 'hostages' },
  dueWithin: { hours: 72, after: 'agreement_effective' },
});
const withoutTarget = obligationRegistered({
  obligationId: ID,
  kind: 'withdrawal',
  title: 'Withdraw to the agreed lines',
  responsiblePartyId: 'israel',
  dueAt: '2025-10-11T09:00:00.000Z',
});

const statusAt = (
  events: ObligationEvent[],
  at: string,
  inputs: ObligationStatusInputs = noConditions,
) => computeObligationStatus(obligationFrom(events), at, inputs);

const fulfilledCondition = (obligationId: string, fulfilledAt: string): ConditionStatus => ({
  obligationId,
  status: 'fulfilled',
  fulfilledAt,
});

describe('obligation status, rule by rule (API.md order)', () => {
  describe('1. waived', () => {
    it('a waived obligation shows waived, whatever else was recorded', () => {
      const events = [
        within72h,
        breachRecorded(ID, '2025-10-12T00:00:00.000Z'),
        obligationWaived(ID, '2025-10-12T01:00:00.000Z'),
      ];
      const result = statusAt(events, '2025-10-20T00:00:00.000Z');
      expect(result.status).toBe('waived');
      expect(result.nextCheckAt).toBeNull();
    });

    it('a waiver recorded after the moment asked about does not count yet', () => {
      const events = [within72h, obligationWaived(ID, '2025-10-15T00:00:00.000Z')];
      const result = statusAt(events, '2025-10-14T00:00:00.000Z');
      expect(result.status).toBe('overdue');
      expect(result.nextCheckAt).toBe('2025-10-15T00:00:00.000Z');
    });
  });

  describe('2. suspended', () => {
    it('an obligation suspended citing the other side’s violations shows suspended, even past its deadline', () => {
      const events = [within72h, obligationSuspended(ID, '2025-10-11T00:00:00.000Z', ['strike-1'])];
      expect(statusAt(events, '2025-10-20T00:00:00.000Z').status).toBe('suspended');
    });

    it('a suspension outranks a recorded breach', () => {
      const events = [
        within72h,
        breachRecorded(ID, '2025-10-11T00:00:00.000Z'),
        obligationSuspended(ID, '2025-10-11T01:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-12T00:00:00.000Z').status).toBe('suspended');
    });

    it('once resumed, the obligation shows its own status again', () => {
      const events = [
        within72h,
        obligationSuspended(ID, '2025-10-11T00:00:00.000Z'),
        obligationResumed(ID, '2025-10-12T00:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-11T12:00:00.000Z').status).toBe('suspended');
      expect(statusAt(events, '2025-10-12T12:00:00.000Z').status).toBe('pending');
      expect(statusAt(events, '2025-10-14T00:00:00.000Z').status).toBe('overdue');
    });
  });

  describe('3. breached', () => {
    it('a breach recorded by a verifier shows breached, even if the target was delivered later', () => {
      const events = [
        within72h,
        breachRecorded(ID, '2025-10-12T00:00:00.000Z'),
        progressReported(ID, 20, '2025-10-12T06:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-12T12:00:00.000Z').status).toBe('breached');
    });

    it('a breach outranks a verified fulfilment', () => {
      const events = [
        withoutTarget,
        fulfilmentVerified(ID, '2025-10-11T00:00:00.000Z'),
        breachRecorded(ID, '2025-10-11T02:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-11T03:00:00.000Z').status).toBe('breached');
    });
  });

  describe('4. fulfilled / fulfilled_late', () => {
    it('delivering the whole target before the deadline fulfils it on time', () => {
      const events = [
        within72h,
        progressReported(ID, 7, '2025-10-13T05:30:00.000Z'),
        progressReported(ID, 13, '2025-10-13T08:30:00.000Z'),
      ];
      const result = statusAt(events, '2025-10-14T00:00:00.000Z');
      expect(result).toMatchObject({
        status: 'fulfilled',
        fulfilledAt: '2025-10-13T08:30:00.000Z',
        late: false,
        delivered: 20,
        progress: 1,
        effectiveDueAt: DEADLINE_72H,
        nextCheckAt: null,
      });
    });

    it('fulfilledAt is the occurrence of the report that reached the target, not the last one recorded', () => {
      const events = [
        within72h,
        progressReported(ID, 15, '2025-10-12T10:00:00.000Z'),
        progressReported(ID, 5, '2025-10-11T10:00:00.000Z', '2025-10-12T11:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-13T00:00:00.000Z').fulfilledAt).toBe(
        '2025-10-12T10:00:00.000Z',
      );
    });

    it('delivering the target after the deadline fulfils it late', () => {
      const events = [within72h, progressReported(ID, 20, '2025-10-13T10:00:00.000Z')];
      expect(statusAt(events, '2025-10-14T00:00:00.000Z')).toMatchObject({
        status: 'fulfilled_late',
        late: true,
      });
    });

    it('a verified fulfilment fulfils an obligation without a target, at the time the verifier gave', () => {
      const events = [
        withoutTarget,
        fulfilmentVerified(ID, '2025-10-11T12:00:00.000Z', '2025-10-11T08:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-12T00:00:00.000Z')).toMatchObject({
        status: 'fulfilled',
        fulfilledAt: '2025-10-11T08:00:00.000Z',
        progress: null,
      });
    });

    it('a verification without its own time counts from when it was recorded, so it can be late', () => {
      const events = [withoutTarget, fulfilmentVerified(ID, '2025-10-11T12:00:00.000Z')];
      expect(statusAt(events, '2025-10-12T00:00:00.000Z')).toMatchObject({
        status: 'fulfilled_late',
        fulfilledAt: '2025-10-11T12:00:00.000Z',
        late: true,
      });
    });

    it('a claim alone does not fulfil an obligation without a target', () => {
      const events = [withoutTarget, fulfilmentClaimed(ID, '2025-10-10T20:00:00.000Z', 'israel')];
      expect(statusAt(events, '2025-10-11T00:00:00.000Z').status).toBe('in_progress');
    });

    it('a verification fulfils an obligation whose target is only partly delivered', () => {
      const events = [
        within72h,
        progressReported(ID, 18, '2025-10-12T00:00:00.000Z'),
        fulfilmentVerified(ID, '2025-10-12T06:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-12T07:00:00.000Z').status).toBe('fulfilled');
    });

    it('a target delivered before its verification dates the fulfilment from the delivery', () => {
      const events = [
        within72h,
        progressReported(ID, 20, '2025-10-12T00:00:00.000Z'),
        fulfilmentVerified(ID, '2025-10-14T00:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-15T00:00:00.000Z')).toMatchObject({
        status: 'fulfilled',
        fulfilledAt: '2025-10-12T00:00:00.000Z',
      });
    });

    it('a later verification settles a dispute: fulfilled from that verification', () => {
      const events = [
        within72h,
        progressReported(ID, 20, '2025-10-12T00:00:00.000Z'),
        fulfilmentDisputed(ID, '2025-10-12T06:00:00.000Z'),
        fulfilmentVerified(ID, '2025-10-14T00:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-15T00:00:00.000Z')).toMatchObject({
        status: 'fulfilled_late',
        fulfilledAt: '2025-10-14T00:00:00.000Z',
      });
    });
  });

  describe('5. disputed', () => {
    it('a disputed verification holds back fulfilment by quantity', () => {
      const events = [
        within72h,
        progressReported(ID, 20, '2025-10-12T00:00:00.000Z'),
        fulfilmentDisputed(ID, '2025-10-12T06:00:00.000Z'),
      ];
      const result = statusAt(events, '2025-10-12T07:00:00.000Z');
      expect(result).toMatchObject({ status: 'disputed', fulfilledAt: null, late: false });
    });

    it('a dispute that nothing settles outranks the deadline passing', () => {
      const events = [withoutTarget, fulfilmentDisputed(ID, '2025-10-10T20:00:00.000Z')];
      const result = statusAt(events, '2025-10-20T00:00:00.000Z');
      expect(result.status).toBe('disputed');
      expect(result.nextCheckAt).toBeNull();
    });

    it('a dispute after a verification reopens the question', () => {
      const events = [
        withoutTarget,
        fulfilmentVerified(ID, '2025-10-10T20:00:00.000Z'),
        fulfilmentDisputed(ID, '2025-10-10T22:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-10T21:00:00.000Z').status).toBe('fulfilled');
      expect(statusAt(events, '2025-10-10T23:00:00.000Z').status).toBe('disputed');
    });

    it('a verification recorded after a dispute settles it, even dated before the dispute', () => {
      // The releases happened on 10-12; disputed on 10-14; the verifier confirms on 10-20 that
      // they took place on 10-12: fulfilled on time, from the verified moment.
      const events = [
        within72h,
        fulfilmentDisputed(ID, '2025-10-14T00:00:00.000Z'),
        fulfilmentVerified(ID, '2025-10-20T00:00:00.000Z', '2025-10-12T00:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-21T00:00:00.000Z')).toMatchObject({
        status: 'fulfilled',
        fulfilledAt: '2025-10-12T00:00:00.000Z',
        late: false,
      });
    });

    it('a dispute recorded after a verification reopens it, even dated before the verification', () => {
      const events = [
        withoutTarget,
        fulfilmentVerified(ID, '2025-10-12T00:00:00.000Z'),
        fulfilmentDisputed(ID, '2025-10-20T00:00:00.000Z', '2025-10-11T00:00:00.000Z'),
      ];
      expect(statusAt(events, '2025-10-21T00:00:00.000Z')).toMatchObject({
        status: 'disputed',
        fulfilledAt: null,
      });
    });

    it('a claim contested by nobody is progress, not a dispute', () => {
      const events = [within72h, fulfilmentClaimed(ID, '2025-10-11T00:00:00.000Z')];
      expect(statusAt(events, '2025-10-11T01:00:00.000Z').status).toBe('in_progress');
    });
  });

  describe('6. blocked', () => {
    const conditioned = obligationRegistered({
      obligationId: 'rafah',
      kind: 'crossing_reopening',
      responsiblePartyId: 'israel',
      conditions: ['remains'],
      dueWithin: { hours: 168, after: 'conditions_met' },
    });
    const withAbsolute = obligationRegistered({
      obligationId: 'rafah',
      conditions: ['remains'],
      dueAt: '2025-10-31T00:00:00.000Z',
    });
    const unmet: ObligationStatusInputs = {
      anchors,
      conditions: [{ obligationId: 'remains', status: 'overdue', fulfilledAt: null }],
    };

    it('an obligation waits as blocked while a condition is unfulfilled, with no deadline yet', () => {
      const result = statusAt([conditioned], '2025-11-01T00:00:00.000Z', unmet);
      expect(result).toMatchObject({
        status: 'blocked',
        effectiveDueAt: null,
        unmetConditions: ['remains'],
        nextCheckAt: null,
      });
    });

    it('a condition missing from the input counts as unfulfilled', () => {
      expect(statusAt([conditioned], '2025-11-01T00:00:00.000Z').status).toBe('blocked');
    });

    it('deliveries do not lift the block', () => {
      const events = [withAbsolute, progressReported('rafah', 1, '2025-10-20T00:00:00.000Z')];
      expect(statusAt(events, '2025-10-21T00:00:00.000Z', unmet).status).toBe('blocked');
    });

    it('an absolute deadline that passes while blocked makes the obligation overdue', () => {
      expect(statusAt([withAbsolute], '2025-10-30T23:00:00.000Z', unmet)).toMatchObject({
        status: 'blocked',
        nextCheckAt: '2025-10-31T00:00:00.001Z',
      });
      expect(statusAt([withAbsolute], '2025-10-31T01:00:00.000Z', unmet).status).toBe('overdue');
    });

    it('once its conditions are fulfilled the obligation is due a set time after the last of them', () => {
      const twoConditions = obligationRegistered({
        obligationId: 'rafah',
        conditions: ['remains', 'hostages-living'],
        dueWithin: { hours: 24, after: 'conditions_met' },
      });
      const met: ObligationStatusInputs = {
        anchors,
        conditions: [
          fulfilledCondition('remains', '2025-10-20T00:00:00.000Z'),
          fulfilledCondition('hostages-living', '2025-10-13T08:30:00.000Z'),
        ],
      };
      expect(statusAt([twoConditions], '2025-10-20T12:00:00.000Z', met)).toMatchObject({
        status: 'pending',
        effectiveDueAt: '2025-10-21T00:00:00.000Z',
        unmetConditions: [],
      });
    });

    it('a condition fulfilled late still counts as fulfilled', () => {
      const late: ObligationStatusInputs = {
        anchors,
        conditions: [
          {
            obligationId: 'remains',
            status: 'fulfilled_late',
            fulfilledAt: '2025-10-20T00:00:00.000Z',
          },
        ],
      };
      expect(statusAt([conditioned], '2025-10-21T00:00:00.000Z', late).status).toBe('pending');
    });
  });

  describe('7. overdue', () => {
    it('past the deadline with nothing delivered shows overdue', () => {
      const result = statusAt([within72h], '2025-10-13T09:00:00.001Z');
      expect(result).toMatchObject({ status: 'overdue', nextCheckAt: null });
    });

    it('at the deadline itself the obligation is not yet overdue', () => {
      expect(statusAt([within72h], DEADLINE_72H).status).toBe('pending');
    });

    it('a partial delivery past the deadline is still overdue', () => {
      const events = [within72h, progressReported(ID, 18, '2025-10-12T00:00:00.000Z')];
      expect(statusAt(events, '2025-10-14T00:00:00.000Z')).toMatchObject({
        status: 'overdue',
        progress: 0.9,
        delivered: 18,
      });
    });
  });

  describe('8. in_progress', () => {
    it('a delivery before the deadline shows in_progress and asks to be checked again at the deadline', () => {
      const events = [within72h, progressReported(ID, 4, '2025-10-11T00:00:00.000Z')];
      expect(statusAt(events, '2025-10-11T01:00:00.000Z')).toMatchObject({
        status: 'in_progress',
        progress: 0.2,
        nextCheckAt: '2025-10-13T09:00:00.001Z',
      });
    });

    it('a fulfilment claim alone shows in_progress', () => {
      const events = [within72h, fulfilmentClaimed(ID, '2025-10-11T00:00:00.000Z')];
      expect(statusAt(events, '2025-10-11T01:00:00.000Z').status).toBe('in_progress');
    });
  });

  describe('9. pending', () => {
    it('nothing recorded and no deadline passed shows pending', () => {
      const result = statusAt([within72h], '2025-10-11T00:00:00.000Z');
      expect(result).toMatchObject({
        status: 'pending',
        delivered: 0,
        progress: 0,
        fulfilledAt: null,
        late: false,
        windows: null,
        windowComplianceRate: null,
      });
    });

    it('an obligation with no deadline at all stays pending', () => {
      const result = statusAt([obligationRegistered()], '2030-01-01T00:00:00.000Z');
      expect(result).toMatchObject({ status: 'pending', effectiveDueAt: null, nextCheckAt: null });
    });
  });
});

describe('effective deadline', () => {
  it('an absolute deadline is the deadline', () => {
    expect(statusAt([withoutTarget], '2025-10-10T10:00:00.000Z').effectiveDueAt).toBe(
      '2025-10-11T09:00:00.000Z',
    );
  });

  it('the latest amendment wins and the original deadline is kept', () => {
    const events = [
      within72h,
      deadlineAmended(ID, '2025-10-20T00:00:00.000Z', '2025-10-12T00:00:00.000Z'),
      deadlineAmended(ID, '2025-10-31T00:00:00.000Z', '2025-10-18T00:00:00.000Z'),
    ];
    const result = statusAt(events, '2025-10-25T00:00:00.000Z');
    expect(result).toMatchObject({
      status: 'pending',
      effectiveDueAt: '2025-10-31T00:00:00.000Z',
      originalDueAt: DEADLINE_72H,
    });
  });

  it('an amendment not yet recorded at the moment asked about does not move the deadline', () => {
    const events = [
      within72h,
      deadlineAmended(ID, '2025-10-31T00:00:00.000Z', '2025-10-18T00:00:00.000Z'),
    ];
    const result = statusAt(events, '2025-10-15T00:00:00.000Z');
    expect(result).toMatchObject({
      status: 'overdue',
      effectiveDueAt: DEADLINE_72H,
      nextCheckAt: '2025-10-18T00:00:00.000Z',
    });
  });

  it('an extended deadline turns a late delivery into an on-time one', () => {
    const events = [
      within72h,
      deadlineAmended(ID, '2025-10-31T00:00:00.000Z', '2025-10-14T00:00:00.000Z'),
      progressReported(ID, 20, '2025-10-20T00:00:00.000Z'),
    ];
    expect(statusAt(events, '2025-10-21T00:00:00.000Z')).toMatchObject({
      status: 'fulfilled',
      late: false,
    });
  });

  it('an obligation due after its phase starts has no deadline until the phase starts', () => {
    const phase2 = obligationRegistered({
      phaseKey: 'phase-2',
      dueWithin: { hours: 42 * 24, after: 'phase_start' },
    });
    const notStarted = statusAt([phase2], '2025-12-01T00:00:00.000Z', {
      anchors: { agreementEffectiveAt: EFFECTIVE, phaseStartedAt: null },
      conditions: [],
    });
    expect(notStarted).toMatchObject({ status: 'pending', effectiveDueAt: null });
    const started = statusAt([phase2], '2025-12-01T00:00:00.000Z', {
      anchors: { agreementEffectiveAt: EFFECTIVE, phaseStartedAt: '2025-11-20T00:00:00.000Z' },
      conditions: [],
    });
    expect(started.effectiveDueAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('an anchor that has not happened yet gives no deadline, and a check when it happens', () => {
    const result = statusAt([within72h], '2025-10-10T08:00:00.000Z');
    expect(result).toMatchObject({
      status: 'pending',
      effectiveDueAt: null,
      nextCheckAt: EFFECTIVE,
    });
  });
});

describe('as-of: only facts known at the moment asked about count', () => {
  const events = [
    within72h,
    progressReported(ID, 10, '2025-10-11T00:00:00.000Z'),
    progressReported(ID, 10, '2025-10-12T00:00:00.000Z'),
  ];

  it('deliveries that occurred later are ignored and bring the next check forward', () => {
    expect(statusAt(events, '2025-10-11T12:00:00.000Z')).toMatchObject({
      status: 'in_progress',
      delivered: 10,
      nextCheckAt: '2025-10-12T00:00:00.000Z',
    });
  });

  it('accepts the moment as epoch milliseconds', () => {
    expect(
      computeObligationStatus(
        obligationFrom(events),
        Date.parse('2025-10-12T12:00:00Z'),
        noConditions,
      ).status,
    ).toBe('fulfilled');
  });
});

describe('rate obligations', () => {
  const TRUCKS = 'aid-trucks';
  const trucks = obligationRegistered({
    obligationId: TRUCKS,
    kind: 'aid_access',
    title: 'At least 600 aid trucks a day',
    responsiblePartyId: 'israel',
    beneficiaryPartyId: null,
    target: { quantity: 600, unit: 'trucks', per: 'day' },
    dueWithin: { hours: 0, after: 'agreement_effective' },
  });
  const day = (date: string, quantity: number, hour = '12') =>
    progressReported(TRUCKS, quantity, `${date}T${hour}:00:00.000Z`);
  const deliveries = [
    trucks,
    day('2025-10-11', 350, '08'),
    day('2025-10-11', 250, '16'),
    day('2025-10-12', 450),
    day('2025-10-13', 620),
    day('2025-10-14', 300),
  ];

  it('windows start at the first UTC midnight at or after the due moment', () => {
    expect(new Date(firstWindowStartAtOrAfter(Date.parse(EFFECTIVE), 'day')).toISOString()).toBe(
      '2025-10-11T00:00:00.000Z',
    );
    expect(
      new Date(firstWindowStartAtOrAfter(Date.parse('2025-10-11T00:00:00Z'), 'day')).toISOString(),
    ).toBe('2025-10-11T00:00:00.000Z');
  });

  it('weekly windows start on Monday 00:00 UTC', () => {
    // 10 October 2025 was a Friday.
    expect(new Date(firstWindowStartAtOrAfter(Date.parse(EFFECTIVE), 'week')).toISOString()).toBe(
      '2025-10-13T00:00:00.000Z',
    );
  });

  it('before the first window completes a due rate obligation is in progress', () => {
    const result = statusAt([trucks], '2025-10-10T18:00:00.000Z');
    expect(result).toMatchObject({
      status: 'in_progress',
      windows: [],
      windowComplianceRate: null,
      nextCheckAt: '2025-10-12T00:00:00.000Z',
    });
  });

  // API.md: "Rate obligations: `in_progress` while the last complete window was met (or none is
  // complete yet), `overdue` while the last complete window fell short; rules 1-3 still come first".
  it('a rate obligation not yet due is in progress (never pending), checked when its first window ends', () => {
    const later = obligationRegistered({
      ...trucks.data,
      dueWithin: null,
      dueAt: '2025-11-01T00:00:00.000Z',
    });
    expect(statusAt([later], '2025-10-20T00:00:00.000Z')).toMatchObject({
      status: 'in_progress',
      effectiveDueAt: '2025-11-01T00:00:00.000Z',
      windows: [],
      windowComplianceRate: null,
      nextCheckAt: '2025-11-02T00:00:00.000Z',
    });
  });

  it('a rate obligation with an unmet condition is in progress, never blocked', () => {
    const unmet: ObligationStatusInputs = {
      anchors,
      conditions: [{ obligationId: 'remains', status: 'overdue', fulfilledAt: null }],
    };
    const afterConditions = obligationRegistered({
      ...trucks.data,
      conditions: ['remains'],
      dueWithin: { hours: 0, after: 'conditions_met' },
    });
    expect(statusAt([afterConditions], '2025-10-20T00:00:00.000Z', unmet)).toMatchObject({
      status: 'in_progress',
      effectiveDueAt: null,
      unmetConditions: ['remains'],
      windows: [],
      nextCheckAt: null,
    });
    // With an absolute deadline the windows run whatever the conditions: judged by the last one.
    const absolute = obligationRegistered({
      ...trucks.data,
      conditions: ['remains'],
      dueWithin: null,
      dueAt: '2025-10-11T00:00:00.000Z',
    });
    const events = [absolute, day('2025-10-11', 600), day('2025-10-12', 100)];
    expect(statusAt(events, '2025-10-12T06:00:00.000Z', unmet)).toMatchObject({
      status: 'in_progress',
      unmetConditions: ['remains'],
      windowComplianceRate: 1,
    });
    expect(statusAt(events, '2025-10-13T06:00:00.000Z', unmet).status).toBe('overdue');
  });

  it('a met day keeps it in progress; a short day makes it overdue until a met day follows', () => {
    expect(statusAt(deliveries, '2025-10-12T12:00:00.000Z')).toMatchObject({
      status: 'in_progress',
      windowComplianceRate: 1,
    });
    expect(statusAt(deliveries, '2025-10-13T06:00:00.000Z')).toMatchObject({
      status: 'overdue',
      windowComplianceRate: 0.5,
    });
    expect(statusAt(deliveries, '2025-10-14T01:00:00.000Z')).toMatchObject({
      status: 'in_progress',
      windowComplianceRate: 2 / 3,
    });
    expect(statusAt(deliveries, '2025-10-15T00:00:00.000Z')).toMatchObject({
      status: 'overdue',
      windowComplianceRate: 0.5,
    });
  });

  it('lists complete windows most recent first, counting deliveries by when they occurred', () => {
    const result = statusAt(deliveries, '2025-10-14T18:00:00.000Z');
    expect(result.windows).toEqual([
      {
        start: '2025-10-13T00:00:00.000Z',
        end: '2025-10-14T00:00:00.000Z',
        delivered: 620,
        target: 600,
        met: true,
      },
      {
        start: '2025-10-12T00:00:00.000Z',
        end: '2025-10-13T00:00:00.000Z',
        delivered: 450,
        target: 600,
        met: false,
      },
      {
        start: '2025-10-11T00:00:00.000Z',
        end: '2025-10-12T00:00:00.000Z',
        delivered: 600,
        target: 600,
        met: true,
      },
    ]);
    expect(result.delivered).toBe(1970); // the running day counts in the total, not in a window
    expect(result.nextCheckAt).toBe('2025-10-15T00:00:00.000Z');
  });

  it('a day with no delivery at all falls short', () => {
    const result = statusAt([trucks, day('2025-10-11', 700)], '2025-10-13T00:00:00.000Z');
    expect(result.windows?.map((window) => window.delivered)).toEqual([0, 700]);
    expect(result.status).toBe('overdue');
  });

  it('is never fulfilled, however much is delivered', () => {
    const result = statusAt([trucks, day('2025-10-11', 100_000)], '2025-10-12T01:00:00.000Z');
    expect(result).toMatchObject({
      status: 'in_progress',
      fulfilledAt: null,
      late: false,
      progress: null,
    });
  });

  it('suspension, waiver and breach still come first', () => {
    expect(
      statusAt(
        [...deliveries, obligationSuspended(TRUCKS, '2025-10-13T00:00:00.000Z')],
        '2025-10-15T00:00:00.000Z',
      ).status,
    ).toBe('suspended');
    expect(
      statusAt(
        [...deliveries, obligationWaived(TRUCKS, '2025-10-13T00:00:00.000Z')],
        '2025-10-15T00:00:00.000Z',
      ).status,
    ).toBe('waived');
    expect(
      statusAt(
        [...deliveries, breachRecorded(TRUCKS, '2025-10-13T00:00:00.000Z')],
        '2025-10-15T00:00:00.000Z',
      ).status,
    ).toBe('breached');
  });

  describe('windows count only while the obligation is in force for all of them', () => {
    const everyDay = [
      trucks,
      day('2025-10-11', 600),
      day('2025-10-12', 600),
      // Nothing during the suspension: those days must not count against it.
      day('2025-10-17', 600),
      day('2025-10-18', 300),
    ];
    const startsOf = (result: ReturnType<typeof statusAt>) =>
      result.windows?.map((window) => window.start.slice(0, 10));

    it('a suspension leaves out every window it overlaps and stops the checks until resumed', () => {
      // The days before the suspension only: later deliveries would ask for checks of their own.
      const suspended = [
        ...everyDay.slice(0, 3),
        obligationSuspended(TRUCKS, '2025-10-13T12:00:00.000Z'),
      ];
      const during = statusAt(suspended, '2025-10-15T00:00:00.000Z');
      expect(during).toMatchObject({ status: 'suspended', windowComplianceRate: 1 });
      expect(startsOf(during)).toEqual(['2025-10-12', '2025-10-11']);
      expect(during.nextCheckAt).toBeNull();
      // Still suspended a week on: nothing was counted meanwhile, so the stored row stays true.
      expect(statusAt(suspended, '2025-10-22T00:00:00.000Z')).toEqual(during);
    });

    it('counting resumes with the first whole window after the resume', () => {
      const resumed = [
        ...everyDay,
        obligationSuspended(TRUCKS, '2025-10-13T12:00:00.000Z'),
        obligationResumed(TRUCKS, '2025-10-16T06:00:00.000Z'),
      ];
      const justResumed = statusAt(resumed, '2025-10-16T07:00:00.000Z');
      expect(justResumed).toMatchObject({
        status: 'in_progress',
        windowComplianceRate: 1,
        nextCheckAt: '2025-10-17T00:00:00.000Z',
      });
      expect(startsOf(justResumed)).toEqual(['2025-10-12', '2025-10-11']);
      // 16 October overlaps the suspension (it was resumed at 06:00): 17 and 18 October count.
      const later = statusAt(resumed, '2025-10-19T01:00:00.000Z');
      expect(startsOf(later)).toEqual(['2025-10-18', '2025-10-17', '2025-10-12', '2025-10-11']);
      expect(later).toMatchObject({
        status: 'overdue',
        windowComplianceRate: 3 / 4,
        nextCheckAt: '2025-10-20T00:00:00.000Z',
      });
    });

    it('a waiver stops the counting: windows ending after it are left out', () => {
      const waived = [...everyDay, obligationWaived(TRUCKS, '2025-10-13T12:00:00.000Z')];
      const result = statusAt(waived, '2025-10-20T00:00:00.000Z');
      expect(result).toMatchObject({
        status: 'waived',
        windowComplianceRate: 1,
        nextCheckAt: null,
      });
      expect(startsOf(result)).toEqual(['2025-10-12', '2025-10-11']);
    });

    it('a breach does not stop the windows: the next check stays at the next window end', () => {
      const breached = [...everyDay, breachRecorded(TRUCKS, '2025-10-13T00:00:00.000Z')];
      const result = statusAt(breached, '2025-10-18T13:00:00.000Z');
      expect(result).toMatchObject({
        status: 'breached',
        windowComplianceRate: 3 / 7,
        nextCheckAt: '2025-10-19T00:00:00.000Z',
      });
      expect(startsOf(result)?.[0]).toBe('2025-10-17');
      expect(statusAt(breached, '2025-10-19T06:00:00.000Z').windowComplianceRate).toBe(3 / 8);
    });
  });

  it('lists at most 366 windows but rates every complete window', () => {
    const result = statusAt([trucks, day('2025-10-11', 600)], '2026-12-01T00:00:00.000Z');
    expect(result.windows).toHaveLength(366);
    expect(result.windows?.[0].start).toBe('2026-11-30T00:00:00.000Z');
    const completeDays =
      (Date.parse('2026-12-01T00:00:00Z') - Date.parse('2025-10-11T00:00:00Z')) / 86_400_000;
    expect(result.windowComplianceRate).toBeCloseTo(1 / completeDays);
  });

  it('weekly rate: 4,200 trucks a week judged Monday to Monday', () => {
    const weekly = obligationRegistered({
      ...trucks.data,
      target: { quantity: 4200, unit: 'trucks', per: 'week' },
    });
    const events = [
      weekly,
      day('2025-10-12', 1000),
      day('2025-10-14', 2000),
      day('2025-10-19', 2300),
      day('2025-10-21', 1000),
    ];
    const result = statusAt(events, '2025-10-28T00:00:00.000Z');
    expect(result.windows).toEqual([
      {
        start: '2025-10-20T00:00:00.000Z',
        end: '2025-10-27T00:00:00.000Z',
        delivered: 1000,
        target: 4200,
        met: false,
      },
      {
        start: '2025-10-13T00:00:00.000Z',
        end: '2025-10-20T00:00:00.000Z',
        delivered: 4300,
        target: 4200,
        met: true,
      },
    ]);
    expect(result).toMatchObject({
      status: 'overdue',
      windowComplianceRate: 0.5,
      nextCheckAt: '2025-11-03T00:00:00.000Z',
    });
  });

  it('without a deadline, a rate runs from the agreement’s entry into force, its first deadline', () => {
    const open = obligationRegistered({ ...trucks.data, dueWithin: null });
    expect(statusAt([open, day('2025-10-11', 600)], '2025-10-12T00:00:00.000Z')).toMatchObject({
      effectiveDueAt: EFFECTIVE,
      originalDueAt: EFFECTIVE,
      windowComplianceRate: 1,
    });
    // Before the entry into force: no deadline yet, and a check when it comes.
    expect(statusAt([open], '2025-10-10T08:00:00.000Z')).toMatchObject({
      status: 'in_progress',
      effectiveDueAt: null,
      originalDueAt: null,
      nextCheckAt: EFFECTIVE,
    });
    // An amendment moves the due moment; the first effective deadline stays.
    const amended = [
      open,
      deadlineAmended(TRUCKS, '2025-10-20T00:00:00.000Z', '2025-10-15T00:00:00.000Z'),
    ];
    expect(statusAt(amended, '2025-10-16T00:00:00.000Z')).toMatchObject({
      effectiveDueAt: '2025-10-20T00:00:00.000Z',
      originalDueAt: EFFECTIVE,
    });
  });

  it('nothing changes between two checks: the result at any time equals the one at the last check before it', () => {
    // What the live projection shows (recomputed at each nextCheckAt) is what an as-of replay
    // computes at any moment in between.
    const START = Date.parse('2025-10-08T00:00:00Z');
    const SPAN_MINUTES = 45 * 24 * 60;
    const minute = fc.integer({ min: 0, max: SPAN_MINUTES });
    const isoAt = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
    const scenario = fc.record({
      per: fc.constantFrom('day' as const, 'week' as const),
      deadline: fc.oneof(
        fc.constant({ dueAt: null, dueWithin: null }),
        fc.constant({
          dueAt: null,
          dueWithin: { hours: 0, after: 'agreement_effective' as const },
        }),
        minute.map((m) => ({ dueAt: isoAt(m), dueWithin: null })),
      ),
      deliveries: fc.array(
        fc.record({
          occurred: minute,
          delay: fc.nat(3 * 24 * 60),
          quantity: fc.integer({ min: 1, max: 900 }),
        }),
        { maxLength: 30 },
      ),
      stateChanges: fc.array(
        fc.record({ at: minute, action: fc.constantFrom('suspend', 'resume', 'resume', 'waive') }),
        { maxLength: 4 },
      ),
      breachAt: fc.option(minute),
      amendment: fc.option(fc.record({ dueAt: minute, recorded: minute })),
      from: minute,
      span: fc.nat(20 * 24 * 60),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const events: ObligationEvent[] = [
          obligationRegistered({
            ...trucks.data,
            ...s.deadline,
            target: { quantity: 600, unit: 'trucks', per: s.per },
          }),
          ...s.deliveries.map((d) =>
            progressReported(TRUCKS, d.quantity, isoAt(d.occurred), isoAt(d.occurred + d.delay)),
          ),
          ...[...s.stateChanges]
            .sort((a, b) => a.at - b.at)
            .map(({ at, action }) =>
              (action === 'suspend'
                ? obligationSuspended
                : action === 'resume'
                  ? obligationResumed
                  : obligationWaived)(TRUCKS, isoAt(at)),
            ),
          ...(s.breachAt === null ? [] : [breachRecorded(TRUCKS, isoAt(s.breachAt))]),
          ...(s.amendment === null
            ? []
            : [deadlineAmended(TRUCKS, isoAt(s.amendment.dueAt), isoAt(s.amendment.recorded))]),
        ];
        const record = obligationFrom(events);
        const at = (ms: number) => computeObligationStatus(record, ms, noConditions);
        const end = START + (s.from + s.span) * 60_000;
        let checkedAt = START + s.from * 60_000;
        for (let checks = 0; checks < 1_000; checks += 1) {
          const next = at(checkedAt).nextCheckAt;
          if (next === null || Date.parse(next) > end) break;
          expect(Date.parse(next)).toBeGreaterThan(checkedAt);
          checkedAt = Date.parse(next);
        }
        expect(at(end)).toEqual(at(checkedAt));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the October 2025 Gaza agreement', () => {
  const hostages = obligationRegistered({
    obligationId: 'hostages-living',
    target: { quantity: 20, unit: 'living hostages' },
    dueWithin: { hours: 72, after: 'agreement_effective' },
  });
  const remains = obligationRegistered({
    obligationId: 'remains',
    kind: 'remains_return',
    title: 'Return the remains of all deceased hostages',
    target: { quantity: 28, unit: 'remains' },
    dueWithin: { hours: 72, after: 'agreement_effective' },
  });
  const rafah = obligationRegistered({
    obligationId: 'rafah',
    kind: 'crossing_reopening',
    title: 'Reopen the Rafah crossing in both directions',
    responsiblePartyId: 'israel',
    beneficiaryPartyId: 'hamas',
    conditions: ['remains'],
    dueWithin: { hours: 7 * 24, after: 'conditions_met' },
    target: { quantity: 1, unit: 'crossing' },
    terms: { directions: ['entry', 'exit'] },
  });
  const agreementAnchorsOct = agreementAnchors(
    fold(agreementDecider, [oct2025Registered(), phaseStarted('phase-1', EFFECTIVE)]),
  );

  it('all 20 living hostages came back within 72 hours of the ceasefire: fulfilled on time', () => {
    const events = [
      hostages,
      progressReported('hostages-living', 7, '2025-10-13T05:30:00.000Z'),
      progressReported('hostages-living', 13, '2025-10-13T08:30:00.000Z'),
    ];
    expect(statusAt(events, '2025-10-13T12:00:00.000Z')).toMatchObject({
      status: 'fulfilled',
      late: false,
      fulfilledAt: '2025-10-13T08:30:00.000Z',
      effectiveDueAt: DEADLINE_72H,
    });
  });

  it('only 4 of 28 remains returned: overdue once the 72 hours have passed', () => {
    const events = [remains, progressReported('remains', 4, '2025-10-13T08:00:00.000Z')];
    expect(statusAt(events, '2025-10-13T08:30:00.000Z').status).toBe('in_progress');
    expect(statusAt(events, '2025-10-14T00:00:00.000Z')).toMatchObject({
      status: 'overdue',
      delivered: 4,
      progress: 4 / 28,
      fulfilledAt: null,
    });
  });

  it('the Rafah crossing waits as blocked on the remains, then gets a deadline and turns overdue when it passes', () => {
    const remainsEvents = [
      remains,
      progressReported('remains', 4, '2025-10-13T08:00:00.000Z'),
      progressReported('remains', 23, '2025-12-20T12:00:00.000Z'),
      progressReported('remains', 1, '2026-01-26T12:00:00.000Z'),
    ];
    const obligations = [obligationFrom(remainsEvents), obligationFrom([rafah])];

    const october = computeAgreementObligationStatuses(
      obligations,
      '2025-10-31T00:00:00.000Z',
      agreementAnchorsOct,
    );
    expect(october.get('remains')?.status).toBe('overdue');
    expect(october.get('rafah')).toMatchObject({
      status: 'blocked',
      effectiveDueAt: null,
      unmetConditions: ['remains'],
    });

    const lateJanuary = computeAgreementObligationStatuses(
      obligations,
      '2026-01-30T00:00:00.000Z',
      agreementAnchorsOct,
    );
    expect(lateJanuary.get('remains')).toMatchObject({
      status: 'fulfilled_late',
      fulfilledAt: '2026-01-26T12:00:00.000Z',
    });
    expect(lateJanuary.get('rafah')).toMatchObject({
      status: 'pending',
      effectiveDueAt: '2026-02-02T12:00:00.000Z',
      nextCheckAt: '2026-02-02T12:00:00.001Z',
    });

    const february = computeAgreementObligationStatuses(
      obligations,
      '2026-02-03T00:00:00.000Z',
      agreementAnchorsOct,
    );
    expect(february.get('rafah')?.status).toBe('overdue');
  });

  it('600 aid trucks a day with some short days: the window rate and the status follow the days', () => {
    const trucks = obligationRegistered({
      obligationId: 'aid-trucks',
      kind: 'aid_access',
      responsiblePartyId: 'israel',
      target: { quantity: 600, unit: 'trucks', per: 'day' },
      dueWithin: { hours: 0, after: 'agreement_effective' },
    });
    const perDay = [600, 640, 430, 600, 520, 610, 700];
    const events = [
      trucks,
      ...perDay.map((quantity, index) =>
        progressReported(
          'aid-trucks',
          quantity,
          new Date(Date.parse('2025-10-11T10:00:00Z') + index * 86_400_000).toISOString(),
        ),
      ),
    ];
    const afterDay = (days: number) =>
      new Date(Date.parse('2025-10-11T00:00:00Z') + days * 86_400_000 + 3_600_000).toISOString();
    expect(statusAt(events, afterDay(2)).status).toBe('in_progress');
    expect(statusAt(events, afterDay(3)).status).toBe('overdue');
    expect(statusAt(events, afterDay(4)).status).toBe('in_progress');
    expect(statusAt(events, afterDay(5)).status).toBe('overdue');
    const week = statusAt(events, afterDay(7));
    expect(week).toMatchObject({ status: 'in_progress', windowComplianceRate: 5 / 7 });
    expect(week.windows?.map((window) => window.met)).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});

describe('computeAgreementObligationStatuses', () => {
  it('a condition outside the agreement’s obligations keeps the dependant blocked', () => {
    const orphan = obligationFrom([
      obligationRegistered({ obligationId: 'x', conditions: ['ghost'] }),
    ]);
    const result = computeAgreementObligationStatuses(
      [orphan],
      '2025-10-20T00:00:00.000Z',
      agreementAnchors(fold(agreementDecider, [oct2025Registered()])),
    );
    expect(result.get('x')?.status).toBe('blocked');
  });

  it('survives a cycle in stored data by treating the loop as unfulfilled', () => {
    const a = obligationFrom([obligationRegistered({ obligationId: 'a', conditions: ['b'] })]);
    const b = obligationFrom([obligationRegistered({ obligationId: 'b', conditions: ['a'] })]);
    const result = computeAgreementObligationStatuses(
      [a, b],
      '2025-10-20T00:00:00.000Z',
      agreementAnchors(agreementDecider.initialState()),
    );
    expect(result.get('a')?.status).toBe('blocked');
    expect(result.get('b')?.status).toBe('blocked');
  });

  it('uses each phase’s start as the anchor of its obligations', () => {
    const phase2 = obligationFrom([
      obligationRegistered({
        obligationId: 'p2',
        phaseKey: 'phase-2',
        dueWithin: { hours: 24, after: 'phase_start' },
      }),
    ]);
    const agreement = fold(agreementDecider, [
      oct2025Registered(),
      phaseStarted('phase-2', '2026-01-01T00:00:00.000Z'),
    ]);
    const result = computeAgreementObligationStatuses(
      [phase2],
      '2026-01-03T00:00:00.000Z',
      agreementAnchors(agreement),
    );
    expect(result.get('p2')).toMatchObject({
      status: 'overdue',
      effectiveDueAt: '2026-01-02T00:00:00.000Z',
    });
  });
});
