import type { Actor, DomainEvent } from '@app/domain';
import { EventStore } from '@app/event-store';
import {
  actors,
  deadlineAmended,
  fulfilmentClaimed,
  fulfilmentDisputed,
  healthMinistry,
  OCT_2025,
  oct2025Registered,
  obligationRegistered,
  obligationResumed,
  obligationSuspended,
  reuters,
  violationReported,
} from '@app/testing';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { timeline, TimelineItem } from '../read/timeline.read';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendEvents, catchUpFully, waitForVisibleFeed } from '../testing/projection-fixtures';
import { timelineProjection } from './timeline.projection';

const AGREEMENT = OCT_2025.agreementId;
const data = { violationId: 'v-1', agreementId: AGREEMENT };

/** Who records what, in order: a report revised twice and disputed, and an obligation argued over. */
const history: Array<[Actor, DomainEvent[]]> = [
  [
    actors.coordinator,
    [
      oct2025Registered(),
      obligationRegistered({
        obligationId: 'rafah',
        kind: 'crossing_reopening',
        title: 'Reopen the Rafah crossing',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueAt: '2025-10-31T00:00:00.000Z',
      }),
    ],
  ],
  [
    actors.monitor,
    [
      violationReported({ ...data, occurredAt: '2025-10-28T18:30:00.000Z' }),
      {
        type: 'CasualtiesRevised',
        data: {
          ...data,
          killed: 3,
          injured: 4,
          previous: { killed: 1, injured: 4 },
          reason: 'two died of wounds',
          source: healthMinistry,
          recordedAt: '2025-10-29T09:00:00.000Z',
        },
      },
    ],
  ],
  [
    actors.verifier,
    [
      {
        type: 'ViolationDisputed',
        data: {
          ...data,
          partyId: 'israel',
          statement: 'no strike took place there',
          source: { name: 'IDF statement', kind: 'party' },
          recordedAt: '2025-10-29T10:00:00.000Z',
        },
      },
    ],
  ],
  [
    actors.monitor,
    [
      {
        type: 'CasualtiesRevised',
        data: {
          ...data,
          killed: 4,
          injured: 4,
          previous: { killed: 3, injured: 4 },
          reason: 'a third died in hospital',
          source: reuters,
          recordedAt: '2025-10-30T09:00:00.000Z',
        },
      },
      {
        type: 'ViolationSourceAdded',
        data: { ...data, source: reuters, recordedAt: '2025-10-30T10:00:00.000Z' },
      },
      fulfilmentClaimed('rafah', '2025-10-30T12:00:00.000Z', 'israel'),
    ],
  ],
  [actors.verifier, [fulfilmentDisputed('rafah', '2025-10-30T15:00:00.000Z')]],
  [
    actors.coordinator,
    [
      deadlineAmended(
        'rafah',
        '2025-11-15T00:00:00.000Z',
        '2025-10-31T12:00:00.000Z',
        '2025-10-31T00:00:00.000Z',
      ),
      deadlineAmended(
        'rafah',
        '2025-11-30T00:00:00.000Z',
        '2025-11-14T12:00:00.000Z',
        '2025-11-15T00:00:00.000Z',
      ),
      obligationSuspended('rafah', '2025-11-20T00:00:00.000Z', ['v-1']),
      obligationResumed('rafah', '2025-11-25T00:00:00.000Z'),
    ],
  ],
];

describe('timeline projection', () => {
  let db: TestDatabase;
  let runner: ProjectionRunner;
  let store: EventStore;

  const project = (batchSize?: number) =>
    catchUpFully({ catchUpAll: (p) => runner.catchUpAll(p, { batchSize }) }, db.pool, [
      timelineProjection,
    ]);
  const reset = () =>
    db.pool.query(
      `TRUNCATE proj_timeline; DELETE FROM projection_checkpoints WHERE name = 'timeline'`,
    );
  const storedRows = async () =>
    (
      await db.pool.query<{ row: unknown }>(
        `SELECT to_jsonb(t) - 'seq' AS row FROM proj_timeline t ORDER BY position`,
      )
    ).rows.map((r) => r.row);
  const items = async (): Promise<TimelineItem[]> =>
    (await timeline(db.pool, store, AGREEMENT, null, 500)).items;

  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.pool);
    for (const [actor, events] of history) await appendEvents(store, events, actor);
    runner = new ProjectionRunner(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(reset);

  it('links each correction and answer to the entry of its stream it corrects', async () => {
    await project();
    const all = await items();
    const at = (type: string, nth = 0) => {
      const item = all.filter((i) => i.type === type)[nth];
      if (!item) throw new Error(`no ${type} #${nth}`);
      return item;
    };
    const link = (item: TimelineItem) => ({ position: item.position, type: item.type });
    const report = at('ViolationReported');
    const firstRevision = at('CasualtiesRevised');
    const registration = at('ObligationRegistered');
    const firstAmendment = at('DeadlineAmended');

    expect(report.corrects).toBeNull();
    expect(firstRevision.corrects).toEqual(link(report));
    expect(at('ViolationDisputed').corrects).toEqual(link(report));
    expect(at('CasualtiesRevised', 1).corrects).toEqual(link(firstRevision));
    expect(at('ViolationSourceAdded').corrects).toEqual(link(report));
    expect(at('FulfilmentDisputed').corrects).toEqual(link(at('FulfilmentClaimed')));
    expect(firstAmendment.corrects).toEqual(link(registration));
    expect(at('DeadlineAmended', 1).corrects).toEqual(link(firstAmendment));
    expect(at('ObligationSuspended').corrects).toEqual(link(registration));
    expect(at('ObligationResumed').corrects).toEqual(link(at('ObligationSuspended')));
    expect(at('AgreementRegistered').corrects).toBeNull();
    expect(at('FulfilmentClaimed').corrects).toBeNull();
  });

  it('says who recorded what, about what, on which source', async () => {
    await project();
    const all = await items();
    const find = (type: string) => all.find((i) => i.type === type);
    expect(find('CasualtiesRevised')).toMatchObject({
      streamId: 'violation-v-1',
      recordedBy: { name: 'Field monitor', role: 'monitor' },
      sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
      subject: { kind: 'violation', id: 'v-1', title: 'airstrike by israel at Gaza City' },
      summary:
        'Field monitor (monitor) revised the casualties of report v-1 from 1 killed and 4 injured to 3 killed and 4 injured, citing Gaza Health Ministry (official): two died of wounds.',
    });
    expect(find('ViolationDisputed')).toMatchObject({
      recordedBy: { name: 'Verification cell', role: 'verifier' },
      sources: [{ name: 'IDF statement', kind: 'party' }],
      summary:
        'Verification cell (verifier) recorded that israel disputes report v-1, citing IDF statement (party): "no strike took place there".',
    });
    expect(find('DeadlineAmended')).toMatchObject({
      recordedBy: { name: 'Coordination desk', role: 'coordinator' },
      sources: [],
      subject: { kind: 'obligation', id: 'rafah', title: 'Reopen the Rafah crossing' },
      summary:
        'Coordination desk (coordinator) moved the deadline of "Reopen the Rafah crossing" (rafah) from 31 October 2025 to 15 November 2025: renegotiated.',
    });
    expect(find('PhaseStarted')).toBeUndefined();
    expect(find('AgreementRegistered')?.subject).toEqual({
      kind: 'agreement',
      id: AGREEMENT,
      title: 'Gaza ceasefire (20-point plan)',
    });
    // The key id stays in the event metadata (auditors read it there).
    expect(JSON.stringify(all)).not.toContain('key-monitor');
  });

  it('gives the same rows however the feed is batched, and when a batch is applied twice', async () => {
    await project(1);
    const oneByOne = await storedRows();
    expect(oneByOne).toHaveLength((await items()).length);
    await reset();
    await project();
    expect(await storedRows()).toEqual(oneByOne);

    await waitForVisibleFeed(db.pool);
    const feed = (await store.readFeedRows({ transactionId: 0n, globalPosition: 0n }, 1000)).map(
      (r) => store.toStoredEvent(r),
    );
    const client = await db.pool.connect();
    try {
      await timelineProjection.apply(feed, client, new Date());
      // A batch spread wide (its positions far apart) is checked position by position.
      await timelineProjection.apply([feed[0], feed[feed.length - 1]], client, new Date());
    } finally {
      client.release();
    }
    expect(await storedRows()).toEqual(oneByOne);
  });

  it('writes the same account a page at a time: titles and links come from earlier pages', async () => {
    await project();
    const whole = await items();
    const paged: TimelineItem[] = [];
    let cursor: string | null = null;
    do {
      const page = await timeline(db.pool, store, AGREEMENT, cursor, 1);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole);
    expect(paged).toContainEqual(
      expect.objectContaining({
        type: 'CasualtiesRevised',
        subject: { kind: 'violation', id: 'v-1', title: 'airstrike by israel at Gaza City' },
        corrects: expect.objectContaining({ type: 'ViolationReported' }),
      }),
    );
  });
});
