import type { DomainEvent } from '@app/domain';
import {
  actors,
  deadlineAmended,
  fulfilmentDisputed,
  healthMinistry,
  OCT_2025,
  oct2025Registered,
  obligationRegistered,
  obligationSuspended,
  reuters,
  violationReported,
} from '@app/testing';
import { recorderOf } from './timeline-recorder';
import { citedSources } from './timeline-sources';
import { subjectOf } from './timeline-subject';
import { summarise } from './timeline-summary';

/** The sentence as the projection writes it, with the stream's title known from earlier entries. */
const sentenceOf = (
  event: DomainEvent,
  actor: { keyId: string; name: string; role: string } | null = actors.monitor,
  streamTitle?: string,
) => summarise(event, actor && recorderOf({ actor }), subjectOf(event, streamTitle));

describe('timeline sentences', () => {
  it('says who registered the agreement, between whom, from when, citing what', () => {
    expect(sentenceOf(oct2025Registered(), actors.coordinator)).toBe(
      'Coordination desk (coordinator) registered the agreement "Gaza ceasefire (20-point plan)" between Israel and Hamas, with United States, Egypt, Qatar and Türkiye as guarantors, in effect from 10 October 2025, 09:00 UTC, signed on 9 October 2025, citing Reuters (media).',
    );
  });

  it('says who registered an obligation, with its deadline and conditions', () => {
    expect(
      sentenceOf(
        obligationRegistered({
          obligationId: 'rafah',
          title: 'Reopen Rafah',
          responsiblePartyId: 'israel',
          beneficiaryPartyId: null,
          conditions: ['remains'],
          dueWithin: { hours: 168, after: 'conditions_met' },
        }),
        actors.coordinator,
      ),
    ).toBe(
      'Coordination desk (coordinator) registered the obligation "Reopen Rafah" (rafah) of israel in phase-1: due within 168 hours of its conditions being met, conditional on remains.',
    );
  });

  it('names the report, its figures and its sources', () => {
    expect(sentenceOf(violationReported())).toBe(
      'Field monitor (monitor) reported an airstrike by israel at Gaza City on 20 October 2025, 14:00 UTC (report strike-gaza-city-1): 1 killed and 4 injured, citing Gaza Health Ministry (official).',
    );
  });

  it('gives the old and the new figures of a casualty revision, with its source and reason', () => {
    const revised: DomainEvent = {
      type: 'CasualtiesRevised',
      data: {
        violationId: 'v-1',
        agreementId: OCT_2025.agreementId,
        killed: 3,
        injured: 4,
        previous: { killed: 1, injured: 4 },
        reason: 'two died of wounds',
        source: healthMinistry,
        recordedAt: '2025-10-21T09:00:00.000Z',
      },
    };
    expect(sentenceOf(revised)).toBe(
      'Field monitor (monitor) revised the casualties of report v-1 from 1 killed and 4 injured to 3 killed and 4 injured, citing Gaza Health Ministry (official): two died of wounds.',
    );
  });

  it("quotes the disputing party's statement", () => {
    const disputed: DomainEvent = {
      type: 'ViolationDisputed',
      data: {
        violationId: 'v-1',
        agreementId: OCT_2025.agreementId,
        partyId: 'israel',
        statement: 'The building was a weapons depot.',
        source: { name: 'IDF statement', kind: 'party' },
        recordedAt: '2025-10-21T10:00:00.000Z',
      },
    };
    expect(sentenceOf(disputed, actors.verifier)).toBe(
      'Verification cell (verifier) recorded that israel disputes report v-1, citing IDF statement (party): "The building was a weapons depot."',
    );
  });

  it('names an obligation by the title of its registration', () => {
    expect(
      sentenceOf(
        deadlineAmended(
          'rafah',
          '2025-11-30T00:00:00.000Z',
          '2025-10-31T12:00:00.000Z',
          '2025-10-31T00:00:00.000Z',
        ),
        actors.coordinator,
        'Reopen Rafah',
      ),
    ).toBe(
      'Coordination desk (coordinator) moved the deadline of "Reopen Rafah" (rafah) from 31 October 2025 to 30 November 2025: renegotiated.',
    );
    expect(
      sentenceOf(fulfilmentDisputed('rafah', '2025-11-02T08:30:00.000Z'), actors.verifier),
    ).toBe(
      'Verification cell (verifier) disputed that obligation rafah was fulfilled: FulfilmentDisputed by the verification cell.',
    );
    expect(
      sentenceOf(
        obligationSuspended('rafah', '2025-11-03T00:00:00.000Z', ['v-1', 'v-2']),
        actors.coordinator,
        'Reopen Rafah',
      ),
    ).toBe(
      'Coordination desk (coordinator) suspended "Reopen Rafah" (rafah), pointing to report v-1 and report v-2: suspended citing violations.',
    );
  });

  it('reads "Someone" when the metadata names no actor, and lists no sources when none are cited', () => {
    const confirmed: DomainEvent = {
      type: 'ViolationConfirmed',
      data: {
        violationId: 'v-1',
        agreementId: OCT_2025.agreementId,
        note: 'footage geolocated',
        recordedAt: '2025-10-22T00:00:00.000Z',
      },
    };
    expect(sentenceOf(confirmed, null)).toBe('Someone confirmed report v-1: footage geolocated.');
    expect(citedSources(confirmed)).toEqual([]);
    expect(recorderOf({ correlationId: 'x' })).toBeNull();
  });

  it('keeps the recorder to a name and a role', () => {
    expect(recorderOf({ actor: actors.monitor, correlationId: 'x' })).toEqual({
      name: 'Field monitor',
      role: 'monitor',
    });
  });

  it('lists the sources of every shape as Source objects', () => {
    expect(citedSources(violationReported({ sources: [healthMinistry, reuters] }))).toEqual([
      { name: 'Gaza Health Ministry', kind: 'official' },
      { name: 'Reuters', kind: 'media' },
    ]);
    expect(
      citedSources(
        deadlineAmended('rafah', '2025-11-30T00:00:00.000Z', '2025-10-31T12:00:00.000Z'),
      ),
    ).toEqual([]);
  });
});
