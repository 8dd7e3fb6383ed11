// The January 2025 Gaza ceasefire as DOMAIN.md tells it (in force 19 January 2025, three phases
// of 42 days, mediated by Qatar, Egypt and the US), up to Israel halting aid on 2 March 2025.
// Terms marked "press copy" come from press copies of the text, as DOMAIN.md marks them. Where a
// source gives only the date, the time of day is approximate. The demo records only what was
// reported up to then, so obligations met later appear as they stood (the hostage releases
// suspended at 18 of 33, the prisoner releases unverified).
import type { Source } from '@app/domain';
import type { DemoAgreement } from './demo-agreement';

const pressCopy: Source = {
  name: 'Press copy of the January 2025 agreement text',
  kind: 'media',
  publishedAt: '2025-01-16T00:00:00Z',
};
const qatar: Source = {
  name: 'Qatar Ministry of Foreign Affairs',
  kind: 'official',
  publishedAt: '2025-01-15T00:00:00Z',
};
const reuters = (publishedAt: string): Source => ({ name: 'Reuters', kind: 'media', publishedAt });
const hamasStatement: Source = {
  name: 'Hamas (statement of its armed wing)',
  kind: 'party',
  publishedAt: '2025-02-10T00:00:00Z',
};

/** The ceasefire took effect at 11:15 local time, after a delay of almost three hours. */
const EFFECTIVE_AT = '2025-01-19T09:15:00Z';
const DAY_HOURS = 24;

export const GAZA_2025_01: DemoAgreement = {
  agreement: {
    id: 'gaza-2025-01',
    title: 'Gaza ceasefire and hostage-prisoner exchange (January 2025)',
    effectiveAt: EFFECTIVE_AT,
    parties: [
      { id: 'israel', name: 'Israel', role: 'signatory' },
      { id: 'hamas', name: 'Hamas', role: 'signatory' },
      { id: 'qatar', name: 'Qatar', role: 'mediator' },
      { id: 'egypt', name: 'Egypt', role: 'mediator' },
      { id: 'us', name: 'United States', role: 'mediator' },
    ],
    phases: [
      {
        key: 'phase-1',
        title: 'Phase 1 (42 days): exchange of 33 hostages for prisoners, aid, withdrawal',
        startsAt: EFFECTIVE_AT,
      },
      {
        key: 'phase-2',
        title: 'Phase 2 (42 days, negotiated during phase 1): end of the war, remaining hostages',
        startsAt: '2025-03-02T09:15:00Z',
      },
      {
        key: 'phase-3',
        title: 'Phase 3 (42 days): remains and reconstruction',
        startsAt: '2025-04-13T09:15:00Z',
      },
    ],
    sources: [qatar, pressCopy],
  },
  steps: [
    {
      key: 'start-phase-1',
      action: 'start-phase',
      phaseKey: 'phase-1',
      body: { startedAt: EFFECTIVE_AT },
    },

    // Phase 1 obligations.
    {
      key: 'obligation-jan25-hostages',
      action: 'register-obligation',
      body: {
        id: 'jan25-hostages',
        phaseKey: 'phase-1',
        kind: 'hostage_release',
        title: 'Release of 33 hostages during phase 1, in a set order, remains last',
        description:
          'Hostages are released in a set order over the 42 days of phase 1, women first and ' +
          'the remains of the dead last.',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        dueWithin: { hours: 42 * DAY_HOURS, after: 'phase_start' },
        target: { quantity: 33, unit: 'hostages' },
        sources: [pressCopy, qatar],
      },
    },
    {
      key: 'obligation-jan25-women-first',
      action: 'register-obligation',
      body: {
        id: 'jan25-women-first',
        phaseKey: 'phase-1',
        kind: 'hostage_release',
        title: 'Release of all women hostages, civilians and soldiers, first',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-prisoners',
      action: 'register-obligation',
      body: {
        id: 'jan25-prisoners',
        phaseKey: 'phase-1',
        kind: 'prisoner_release',
        title: 'Release of hundreds of Palestinian prisoners in exchange for the hostages',
        description:
          '30 prisoners released for each civilian hostage and 50 for each female soldier.',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueWithin: { hours: 42 * DAY_HOURS, after: 'phase_start' },
        terms: { prisonersPerCivilianHostage: 30, prisonersPerFemaleSoldier: 50 },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-aid-trucks',
      action: 'register-obligation',
      body: {
        id: 'jan25-aid-trucks',
        phaseKey: 'phase-1',
        kind: 'aid_access',
        title: '600 aid trucks a day, 50 of them fuel and 300 for the north',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueAt: EFFECTIVE_AT,
        target: { quantity: 600, unit: 'trucks', per: 'day' },
        terms: { fuelTrucksPerDay: 50, trucksForTheNorthPerDay: 300 },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-perimeter',
      action: 'register-obligation',
      body: {
        id: 'jan25-perimeter',
        phaseKey: 'phase-1',
        kind: 'withdrawal',
        title: 'Withdrawal of Israeli forces to a perimeter of about 700 m along the border',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        terms: { perimeterMetres: 700 },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-return-rashid',
      action: 'register-obligation',
      body: {
        id: 'jan25-return-rashid',
        phaseKey: 'phase-1',
        kind: 'other',
        title: 'Return of displaced people to the north along Rashid Street on day 7',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueWithin: { hours: 7 * DAY_HOURS, after: 'phase_start' },
        terms: { route: 'Rashid Street', day: 7 },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-return-salah-al-din',
      action: 'register-obligation',
      body: {
        id: 'jan25-return-salah-al-din',
        phaseKey: 'phase-1',
        kind: 'other',
        title: 'Return of displaced people to the north along Salah al-Din Road on day 22',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueWithin: { hours: 22 * DAY_HOURS, after: 'phase_start' },
        terms: { route: 'Salah al-Din Road', day: 22 },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-rafah',
      action: 'register-obligation',
      body: {
        id: 'jan25-rafah',
        phaseKey: 'phase-1',
        kind: 'crossing_reopening',
        title: 'Opening of the Rafah crossing once all women hostages are released',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        conditions: ['jan25-women-first'],
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-philadelphi',
      action: 'register-obligation',
      body: {
        id: 'jan25-philadelphi',
        phaseKey: 'phase-1',
        kind: 'withdrawal',
        title: 'Withdrawal from the Philadelphi corridor, starting on day 42 and ending by day 50',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueWithin: { hours: 50 * DAY_HOURS, after: 'phase_start' },
        terms: { startDay: 42, endDay: 50, area: 'Philadelphi corridor' },
        sources: [pressCopy],
      },
    },

    // Phases 2 and 3: never started, so their relative deadlines never ran.
    {
      key: 'obligation-jan25-remaining-hostages',
      action: 'register-obligation',
      body: {
        id: 'jan25-remaining-hostages',
        phaseKey: 'phase-2',
        kind: 'hostage_release',
        title: 'Release of the remaining living hostages',
        description:
          'On 4 February 2025, 79 hostages were still held, 35 of them presumed dead. Phase 2 ' +
          'terms, including a permanent end to the fighting, were to be negotiated during ' +
          'phase 1 (talks to start by day 16); indirect talks in Doha began in early February.',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        dueWithin: { hours: 42 * DAY_HOURS, after: 'phase_start' },
        sources: [pressCopy, reuters('2025-02-04T00:00:00Z')],
      },
    },
    {
      key: 'obligation-jan25-full-withdrawal',
      action: 'register-obligation',
      body: {
        id: 'jan25-full-withdrawal',
        phaseKey: 'phase-2',
        kind: 'withdrawal',
        title: 'Complete withdrawal of Israeli forces from Gaza',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueWithin: { hours: 42 * DAY_HOURS, after: 'phase_start' },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-jan25-remains',
      action: 'register-obligation',
      body: {
        id: 'jan25-remains',
        phaseKey: 'phase-3',
        kind: 'remains_return',
        title: 'Return of the remains of the hostages who died in captivity',
        clause: 'Phase 3 (press copy)',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        dueWithin: { hours: 42 * DAY_HOURS, after: 'phase_start' },
        sources: [pressCopy],
      },
    },

    // What was reported during phase 1, in order.
    {
      key: 'progress-jan25-hostages-2025-01-19',
      action: 'report-progress',
      obligationId: 'jan25-hostages',
      body: {
        quantity: 3,
        occurredAt: '2025-01-19T14:00:00Z',
        source: reuters('2025-01-19T00:00:00Z'),
        note: 'First exchange: three women hostages handed to the ICRC in Gaza City.',
      },
    },
    {
      key: 'progress-jan25-prisoners-2025-01-20',
      action: 'report-progress',
      obligationId: 'jan25-prisoners',
      body: {
        quantity: 90,
        occurredAt: '2025-01-19T23:00:00Z',
        source: reuters('2025-01-20T00:00:00Z'),
        note: 'First exchange: 90 Palestinian prisoners released after midnight.',
      },
    },
    {
      key: 'progress-jan25-hostages-2025-01-25',
      action: 'report-progress',
      obligationId: 'jan25-hostages',
      body: {
        quantity: 4,
        occurredAt: '2025-01-25T09:00:00Z',
        source: reuters('2025-01-25T00:00:00Z'),
        note: 'Second exchange: four female soldiers.',
      },
    },
    {
      key: 'progress-jan25-prisoners-2025-01-25',
      action: 'report-progress',
      obligationId: 'jan25-prisoners',
      body: {
        quantity: 200,
        occurredAt: '2025-01-25T14:00:00Z',
        source: reuters('2025-01-25T00:00:00Z'),
        note: 'Second exchange: 200 Palestinian prisoners.',
      },
    },
    {
      key: 'verification-jan25-return-rashid',
      action: 'verify-obligation',
      obligationId: 'jan25-return-rashid',
      body: {
        outcome: 'verified',
        occurredAt: '2025-01-27T05:00:00Z',
        source: reuters('2025-01-27T00:00:00Z'),
        note:
          'Displaced people crossed north along Rashid Street on 27 January, a day late, after ' +
          'a dispute over the order of the releases.',
      },
    },
    {
      key: 'verification-jan25-return-salah-al-din',
      action: 'verify-obligation',
      obligationId: 'jan25-return-salah-al-din',
      body: {
        outcome: 'verified',
        occurredAt: '2025-01-27T08:00:00Z',
        source: reuters('2025-01-27T00:00:00Z'),
        note: 'Vehicles crossed north along Salah al-Din Road from 27 January, after inspection.',
      },
    },
    {
      key: 'progress-jan25-hostages-2025-01-30',
      action: 'report-progress',
      obligationId: 'jan25-hostages',
      body: {
        quantity: 8,
        occurredAt: '2025-01-30T12:00:00Z',
        source: reuters('2025-01-30T00:00:00Z'),
        note: 'Third exchange: three Israeli hostages and five Thai nationals.',
      },
    },
    {
      key: 'verification-jan25-women-first',
      action: 'verify-obligation',
      obligationId: 'jan25-women-first',
      body: {
        outcome: 'verified',
        occurredAt: '2025-01-30T12:00:00Z',
        source: reuters('2025-01-30T00:00:00Z'),
        note: 'With the third exchange, the last living women hostages were released.',
      },
    },
    {
      key: 'progress-jan25-prisoners-2025-01-30',
      action: 'report-progress',
      obligationId: 'jan25-prisoners',
      body: {
        quantity: 110,
        occurredAt: '2025-01-30T17:00:00Z',
        source: reuters('2025-01-30T00:00:00Z'),
        note: 'Third exchange: 110 Palestinian prisoners.',
      },
    },
    {
      key: 'progress-jan25-hostages-2025-02-01',
      action: 'report-progress',
      obligationId: 'jan25-hostages',
      body: {
        quantity: 3,
        occurredAt: '2025-02-01T07:00:00Z',
        source: reuters('2025-02-04T00:00:00Z'),
        note: 'Fourth exchange: three men. By 4 February four exchanges had freed 18 of the 33.',
      },
    },
    {
      key: 'verification-jan25-rafah',
      action: 'verify-obligation',
      obligationId: 'jan25-rafah',
      body: {
        outcome: 'verified',
        occurredAt: '2025-02-01T08:00:00Z',
        source: reuters('2025-02-01T00:00:00Z'),
        note:
          'Rafah opened on 1 February for the evacuation of sick and wounded Palestinians, run ' +
          'by Palestinian Authority staff with EU monitors.',
      },
    },
    {
      key: 'progress-jan25-prisoners-2025-02-01',
      action: 'report-progress',
      obligationId: 'jan25-prisoners',
      body: {
        quantity: 183,
        occurredAt: '2025-02-01T12:00:00Z',
        source: reuters('2025-02-01T00:00:00Z'),
        note: 'Fourth exchange: 183 Palestinian prisoners.',
      },
    },
    {
      key: 'violation-jan25-cited-by-hamas',
      action: 'report-violation',
      body: {
        id: 'jan25-cited-by-hamas',
        occurredAt: '2025-02-10T12:00:00Z',
        location: { name: 'Gaza Strip', precision: 'region' },
        category: 'other',
        allegedPartyId: 'israel',
        description:
          'Hamas said Israel had violated the agreement: the return of the displaced to the ' +
          'north delayed, people shot at and shelled, and shelter aid held back.',
        sources: [hamasStatement],
      },
    },
    {
      key: 'suspension-jan25-hostages',
      action: 'change-obligation-state',
      obligationId: 'jan25-hostages',
      body: {
        action: 'suspend',
        reason:
          'On 10 February 2025 Hamas suspended the hostage releases, citing Israeli violations ' +
          '(statement of its armed wing).',
        citedViolationIds: ['jan25-cited-by-hamas'],
      },
    },
    {
      key: 'suspension-jan25-aid-trucks',
      action: 'change-obligation-state',
      obligationId: 'jan25-aid-trucks',
      body: {
        action: 'suspend',
        reason:
          'On 2 March 2025 Israel halted the entry of aid, holding that there was no automatic ' +
          "move to phase 2 (Israeli Prime Minister's Office).",
      },
    },
  ],
};
