// The October 2025 Gaza ceasefire (the US "20-point plan", in force 10 October 2025) as DOMAIN.md
// tells it, up to late January 2026. Terms marked "press copy" come from press copies of the
// text, as DOMAIN.md marks them. Where a source gives only the date, the time of day is
// approximate. DOMAIN.md names two single incidents (five killed by strikes on one day; one
// killed and four injured in Gaza City on another) without their dates: they are filed on 28
// and 29 October 2025, the dates the project's own fixtures use for them. It gives no daily truck
// counts, so the trucks obligation has no deliveries recorded.
import type { Source } from '@app/domain';
import type { DemoAgreement } from './demo-agreement';

const pressCopy: Source = {
  name: 'Press copy of the October 2025 agreement text',
  kind: 'media',
  publishedAt: '2025-10-09T00:00:00Z',
};
const whiteHouse: Source = {
  name: 'White House (20-point plan)',
  kind: 'official',
  publishedAt: '2025-09-29T00:00:00Z',
};
const reuters = (publishedAt: string): Source => ({ name: 'Reuters', kind: 'media', publishedAt });
const healthMinistry = (publishedAt: string): Source => ({
  name: 'Gaza Health Ministry',
  kind: 'official',
  publishedAt,
});

/** The ceasefire took effect at noon local time, once Israeli forces stood on the agreed line. */
const EFFECTIVE_AT = '2025-10-10T09:00:00Z';

export const GAZA_2025_10: DemoAgreement = {
  agreement: {
    id: 'gaza-2025-10',
    title: 'Gaza ceasefire and hostage-prisoner exchange (October 2025, 20-point plan)',
    effectiveAt: EFFECTIVE_AT,
    signedAt: '2025-10-09T00:00:00Z',
    parties: [
      { id: 'israel', name: 'Israel', role: 'signatory' },
      { id: 'hamas', name: 'Hamas', role: 'signatory' },
      { id: 'us', name: 'United States', role: 'guarantor' },
      { id: 'egypt', name: 'Egypt', role: 'guarantor' },
      { id: 'qatar', name: 'Qatar', role: 'guarantor' },
      { id: 'turkiye', name: 'Türkiye', role: 'guarantor' },
      { id: 'eubam', name: 'EU Border Assistance Mission Rafah', role: 'monitor' },
    ],
    phases: [
      { key: 'phase-1', title: 'Phase 1: ceasefire, exchange, aid, Rafah', startsAt: EFFECTIVE_AT },
      {
        key: 'phase-2',
        title: 'Phase 2: disarmament, further withdrawal, stabilisation force, transition',
      },
    ],
    sources: [whiteHouse, pressCopy],
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
      key: 'obligation-oct25-withdrawal-line',
      action: 'register-obligation',
      body: {
        id: 'oct25-withdrawal-line',
        phaseKey: 'phase-1',
        kind: 'withdrawal',
        title: 'Withdrawal of Israeli forces to the agreed line within 24 hours',
        description: "Within 24 hours of the Israeli cabinet's approval, early on 10 October.",
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueAt: '2025-10-10T22:00:00Z',
        terms: { line: 'the agreed ("yellow") line' },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-oct25-living-hostages',
      action: 'register-obligation',
      body: {
        id: 'oct25-living-hostages',
        phaseKey: 'phase-1',
        kind: 'hostage_release',
        title: 'Return of all 20 living hostages within 72 hours',
        clause: 'Point 4 (press copy)',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        dueWithin: { hours: 72, after: 'agreement_effective' },
        target: { quantity: 20, unit: 'hostages' },
        sources: [pressCopy, whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-hostage-remains',
      action: 'register-obligation',
      body: {
        id: 'oct25-hostage-remains',
        phaseKey: 'phase-1',
        kind: 'remains_return',
        title: 'Return of the remains of all 28 deceased hostages within 72 hours',
        clause: 'Point 4 (press copy)',
        responsiblePartyId: 'hamas',
        beneficiaryPartyId: 'israel',
        dueWithin: { hours: 72, after: 'agreement_effective' },
        target: { quantity: 28, unit: 'remains' },
        sources: [pressCopy, whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-prisoners',
      action: 'register-obligation',
      body: {
        id: 'oct25-prisoners',
        phaseKey: 'phase-1',
        kind: 'prisoner_release',
        title:
          'Release of 250 prisoners serving life sentences and 1,700 detainees from Gaza, once ' +
          'the hostages are returned',
        clause: 'Point 5 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        target: { quantity: 1950, unit: 'prisoners' },
        conditions: ['oct25-living-hostages'],
        terms: { lifeSentencePrisoners: 250, detaineesFromGaza: 1700 },
        sources: [pressCopy, whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-gazan-remains',
      action: 'register-obligation',
      body: {
        id: 'oct25-gazan-remains',
        phaseKey: 'phase-1',
        kind: 'remains_return',
        title: 'Return of the remains of 15 Gazans for each deceased hostage returned',
        clause: 'Point 5 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        terms: { gazanRemainsPerDeceasedHostage: 15 },
        sources: [pressCopy, whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-aid-trucks',
      action: 'register-obligation',
      body: {
        id: 'oct25-aid-trucks',
        phaseKey: 'phase-1',
        kind: 'aid_access',
        title: 'At least 600 aid trucks a day (4,200 a week)',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueAt: EFFECTIVE_AT,
        target: { quantity: 600, unit: 'trucks', per: 'day' },
        terms: { trucksPerWeek: 4200 },
        sources: [pressCopy],
      },
    },
    {
      key: 'obligation-oct25-rafah',
      action: 'register-obligation',
      body: {
        id: 'oct25-rafah',
        phaseKey: 'phase-1',
        kind: 'crossing_reopening',
        title: 'Reopening of the Rafah crossing between Gaza and Egypt, slated for October',
        description:
          'The crossing was not reopened in October. An Israeli official tied the reopening of ' +
          'the Palestinian side to the recovery of the remains of the last captive held in ' +
          'Gaza; Israel also sought to tie it to disarmament; US envoys pressed for reopening ' +
          'before those remains were returned. In late January 2026 the head of Gaza’s new ' +
          'technocratic committee announced a reopening "next week"; Israel did not confirm.',
        clause: 'Phase 1 (press copy)',
        responsiblePartyId: 'israel',
        dueAt: '2025-10-31T23:59:59Z',
        conditions: ['oct25-hostage-remains'],
        terms: {
          directions: ['exit', 'entry'],
          operatedBy: 'Palestinian Authority staff with EU monitors',
          israeliPosition:
            'exit with restricted entry (more leaving than entering) and an Israeli checkpoint ' +
            'inside Gaza near the border',
          usPosition: 'free passage in both directions, as first agreed',
        },
        sources: [pressCopy, reuters('2026-01-25T00:00:00Z')],
      },
    },

    // Phase 2 obligations: the phase has not started, so their deadlines have not begun to run.
    {
      key: 'obligation-oct25-disarmament',
      action: 'register-obligation',
      body: {
        id: 'oct25-disarmament',
        phaseKey: 'phase-2',
        kind: 'disarmament',
        title: 'Disarmament of Hamas and other factions',
        description:
          'In November 2025 about 200 Hamas fighters were reported trapped in tunnels under ' +
          'Rafah, blocking progress.',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'hamas',
        sources: [whiteHouse, reuters('2025-11-15T00:00:00Z')],
      },
    },
    {
      key: 'obligation-oct25-further-withdrawal',
      action: 'register-obligation',
      body: {
        id: 'oct25-further-withdrawal',
        phaseKey: 'phase-2',
        kind: 'withdrawal',
        title: 'Further withdrawal of Israeli forces',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        sources: [whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-stabilisation-force',
      action: 'register-obligation',
      body: {
        id: 'oct25-stabilisation-force',
        phaseKey: 'phase-2',
        kind: 'stabilization_force',
        title: 'Deployment of an international stabilisation force',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'us',
        sources: [whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-transitional-administration',
      action: 'register-obligation',
      body: {
        id: 'oct25-transitional-administration',
        phaseKey: 'phase-2',
        kind: 'governance_transfer',
        title: 'A technocratic transitional administration for Gaza',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'us',
        sources: [whiteHouse],
      },
    },
    {
      key: 'obligation-oct25-reconstruction',
      action: 'register-obligation',
      body: {
        id: 'oct25-reconstruction',
        phaseKey: 'phase-2',
        kind: 'reconstruction',
        title: 'Reconstruction of Gaza',
        description: 'The UN estimated the cost of reconstruction at about $70 billion.',
        clause: 'Phase 2 (press copy)',
        responsiblePartyId: 'us',
        terms: { estimatedCostUsd: 70_000_000_000, estimatedBy: 'United Nations' },
        sources: [whiteHouse, { name: 'United Nations', kind: 'official' }],
      },
    },

    // What was reported, in order.
    {
      key: 'verification-oct25-withdrawal-line',
      action: 'verify-obligation',
      obligationId: 'oct25-withdrawal-line',
      body: {
        outcome: 'verified',
        occurredAt: EFFECTIVE_AT,
        source: { name: 'Israel Defense Forces', kind: 'party', publishedAt: EFFECTIVE_AT },
        note: 'The ceasefire took effect at noon once forces stood on the agreed line.',
      },
    },
    {
      key: 'progress-oct25-living-hostages-first',
      action: 'report-progress',
      obligationId: 'oct25-living-hostages',
      body: {
        quantity: 7,
        occurredAt: '2025-10-13T05:00:00Z',
        source: reuters('2025-10-13T00:00:00Z'),
        note: 'A first group of seven handed to the ICRC in the morning.',
      },
    },
    {
      key: 'progress-oct25-living-hostages-second',
      action: 'report-progress',
      obligationId: 'oct25-living-hostages',
      body: {
        quantity: 13,
        occurredAt: '2025-10-13T08:00:00Z',
        source: reuters('2025-10-13T00:00:00Z'),
        note: 'The other thirteen: all 20 living hostages came back within the 72 hours.',
      },
    },
    {
      key: 'progress-oct25-prisoners',
      action: 'report-progress',
      obligationId: 'oct25-prisoners',
      body: {
        quantity: 1968,
        occurredAt: '2025-10-13T12:00:00Z',
        source: reuters('2025-10-13T00:00:00Z'),
        note: 'Released once the living hostages were back: 250 serving life sentences and 1,718 detainees from Gaza.',
      },
    },
    {
      key: 'progress-oct25-hostage-remains-first',
      action: 'report-progress',
      obligationId: 'oct25-hostage-remains',
      body: {
        quantity: 4,
        occurredAt: '2025-10-13T18:00:00Z',
        source: reuters('2025-10-14T00:00:00Z'),
        note: 'Of 28 deceased hostages, only 4 were returned at first.',
      },
    },
    {
      key: 'violation-oct25-unmatched-remains',
      action: 'report-violation',
      body: {
        id: 'oct25-unmatched-remains',
        occurredAt: '2025-10-14T19:00:00Z',
        location: { name: 'Gaza Strip', precision: 'region' },
        category: 'other',
        allegedPartyId: 'hamas',
        description: 'One set of remains handed over as a hostage’s matched no hostage.',
        sources: [
          { name: 'Israel Defense Forces', kind: 'party', publishedAt: '2025-10-15T00:00:00Z' },
        ],
        relatedObligationIds: ['oct25-hostage-remains'],
      },
    },
    {
      key: 'progress-oct25-gazan-remains',
      action: 'report-progress',
      obligationId: 'oct25-gazan-remains',
      body: {
        quantity: 45,
        occurredAt: '2025-10-14T15:00:00Z',
        source: healthMinistry('2025-10-14T00:00:00Z'),
        note: 'The remains of 45 Palestinians received through the ICRC.',
      },
    },
    {
      key: 'violation-oct25-aid-obstruction',
      action: 'report-violation',
      body: {
        id: 'oct25-aid-obstruction',
        occurredAt: '2025-10-20T12:00:00Z',
        location: { name: 'Gaza Strip', precision: 'region' },
        category: 'aid_obstruction',
        allegedPartyId: 'hamas',
        description: 'Israel said Hamas obstructed humanitarian aid.',
        sources: [
          { name: 'Israeli government', kind: 'party', publishedAt: '2025-10-20T00:00:00Z' },
        ],
        relatedObligationIds: ['oct25-aid-trucks'],
      },
    },
    {
      key: 'dispute-oct25-aid-obstruction',
      action: 'dispute-violation',
      violationId: 'oct25-aid-obstruction',
      body: {
        partyId: 'hamas',
        statement: 'Hamas rejected the accusation and said Israeli strikes went on.',
        source: { name: 'Hamas (statement)', kind: 'party', publishedAt: '2025-10-20T00:00:00Z' },
      },
    },
    {
      key: 'violation-oct25-gaza-city',
      action: 'report-violation',
      body: {
        id: 'oct25-gaza-city',
        occurredAt: '2025-10-28T14:30:00Z',
        location: { name: 'Gaza City', lat: 31.5017, lon: 34.4668, precision: 'approximate' },
        category: 'airstrike',
        allegedPartyId: 'israel',
        description: 'Strike in Gaza City: one killed and four injured.',
        casualties: { killed: 1, injured: 4 },
        sources: [
          healthMinistry('2025-10-28T00:00:00Z'),
          // Repeats the ministry's figures: the same independence group, so no corroboration.
          {
            name: 'Al Jazeera',
            kind: 'media',
            publishedAt: '2025-10-28T00:00:00Z',
            independenceGroup: 'Gaza Health Ministry',
          },
        ],
      },
    },
    {
      key: 'violation-oct25-five-killed',
      action: 'report-violation',
      body: {
        id: 'oct25-five-killed',
        occurredAt: '2025-10-29T12:00:00Z',
        location: { name: 'Gaza Strip', precision: 'region' },
        category: 'airstrike',
        allegedPartyId: 'israel',
        description: 'Israeli strikes killed five people in one day.',
        casualties: { killed: 5, injured: 0 },
        sources: [healthMinistry('2025-10-29T00:00:00Z')],
      },
    },
    {
      key: 'tally-oct25-ministry-2025-11-10',
      action: 'record-casualty-tally',
      body: {
        source: healthMinistry('2025-11-10T00:00:00Z'),
        asOf: '2025-11-10T00:00:00Z',
        killed: 242,
        injured: 0,
        attributedToPartyId: 'israel',
        note: 'At least 242 Palestinians killed since 10 October; injured not given.',
      },
    },
    {
      key: 'progress-oct25-hostage-remains-by-2026-01-20',
      action: 'report-progress',
      obligationId: 'oct25-hostage-remains',
      body: {
        quantity: 23,
        occurredAt: '2026-01-20T12:00:00Z',
        source: reuters('2026-01-20T00:00:00Z'),
        note:
          'Returned one by one since October: 27 of the 28, the remains of the last captive ' +
          'still held in Gaza.',
      },
    },
    {
      key: 'tally-oct25-ministry-2026-01-25',
      action: 'record-casualty-tally',
      body: {
        source: healthMinistry('2026-01-25T00:00:00Z'),
        asOf: '2026-01-25T00:00:00Z',
        killed: 484,
        injured: 1321,
        attributedToPartyId: 'israel',
        note: '484 Palestinians killed and 1,321 injured since the ceasefire.',
      },
    },
  ],
};
