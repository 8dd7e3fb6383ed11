// GET /v1/agreements/:id/violations/stats with `from` and `to`: reports that occurred in
// [from, to), as GET /v1/violations filters them, whether the instants fall at midnight (daily
// counts alone) or inside a day (that day's part counted from the reports).
import type { DomainEvent } from '@app/domain';
import { EventStore } from '@app/event-store';
import { actors, oct2025Registered, OCT_2025, reuters, violationReported } from '@app/testing';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { agreementsProjection } from '../agreements/agreements.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendEvents, catchUpFully } from '../testing/projection-fixtures';
import { statsContribution, violationsProjection } from '../violations/violations.projection';
import {
  listViolations,
  violationStats,
  type ViolationReadModel,
  type ViolationStatsItem,
  type ViolationStatsQuery,
} from './violations.read';

const AGREEMENT = OCT_2025.agreementId;
const NOW = new Date('2025-10-25T12:00:00.000Z');
const PROJECTIONS = [agreementsProjection, violationsProjection];
const DAY_MS = 86_400_000;

const report = (
  violationId: string,
  occurredAt: string,
  more: Partial<Parameters<typeof violationReported>[0]> = {},
) =>
  violationReported({ violationId, occurredAt, recordedAt: '2025-10-20T00:00:00.000Z', ...more });
const about = (violationId: string) => ({
  violationId,
  agreementId: AGREEMENT,
  recordedAt: '2025-10-21T00:00:00.000Z',
});

const history: DomainEvent[] = [
  report('night-strike', '2025-10-10T02:00:00.000Z'),
  report('afternoon-strike', '2025-10-10T14:00:00.000Z', { casualties: { killed: 2, injured: 1 } }),
  { type: 'ViolationSourceAdded', data: { ...about('afternoon-strike'), source: reuters } },
  report('evening-strike', '2025-10-10T15:00:00.000Z'),
  { type: 'ViolationDiscounted', data: { ...about('evening-strike'), note: 'predates it' } },
  report('shelling', '2025-10-11T11:00:00.000Z', { casualties: { killed: 3, injured: 0 } }),
  report('rocket', '2025-10-11T23:59:59.999Z', {
    allegedPartyId: 'hamas',
    category: 'rocket_fire',
    casualties: { killed: 0, injured: 2 },
  }),
  { type: 'ViolationConfirmed', data: { ...about('rocket'), note: 'interceptions recorded' } },
  report('midnight-shooting', '2025-10-13T00:00:00.000Z', { category: 'shooting' }),
  report('week-later', '2025-10-20T06:00:00.000Z'),
];

/** Monday 00:00 UTC of a day. */
const weekOf = (day: string): string => {
  const t = Date.parse(`${day}T00:00:00.000Z`);
  const sinceMonday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - sinceMonday * DAY_MS).toISOString();
};

/** The stats counted one report at a time, by the daily table's rule, from the listed reports. */
function expectedStats(reports: ViolationReadModel[], q: ViolationStatsQuery) {
  const items = new Map<string, ViolationStatsItem>();
  for (const v of reports) {
    const c = statsContribution(v, v.verification);
    if (q.partyId && v.allegedPartyId !== q.partyId) continue;
    const day = c.day as string;
    const bucketStart = q.bucket === 'week' ? weekOf(day) : `${day}T00:00:00.000Z`;
    const key = `${bucketStart} ${v.allegedPartyId}`;
    const item = items.get(key) ?? {
      bucketStart,
      partyId: v.allegedPartyId,
      reports: 0,
      corroborated: 0,
      confirmed: 0,
      killed: 0,
      injured: 0,
    };
    for (const column of ['reports', 'corroborated', 'confirmed', 'killed', 'injured'] as const) {
      item[column] += c[column] as number;
    }
    items.set(key, item);
  }
  return [...items.values()]
    .filter((i) => i.reports > 0)
    .sort((a, b) =>
      a.bucketStart === b.bucketStart
        ? a.partyId.localeCompare(b.partyId)
        : a.bucketStart.localeCompare(b.bucketStart),
    );
}

describe('violation stats between two instants', () => {
  let db: TestDatabase;

  const stats = async (q: ViolationStatsQuery) =>
    (await violationStats(db.pool, AGREEMENT, q)).items;
  /** The reports GET /v1/violations lists for the same `from` and `to`. */
  const occurredIn = async (q: ViolationStatsQuery) =>
    (await listViolations(db.pool, { agreementId: AGREEMENT, from: q.from, to: q.to }, null, 500))
      .items;

  beforeAll(async () => {
    db = await createTestDatabase(5);
    const store = new EventStore(db.pool);
    const runner = new ProjectionRunner(db.pool, { now: () => NOW });
    await appendEvents(store, [oct2025Registered()], actors.coordinator);
    await appendEvents(store, history, actors.monitor);
    await catchUpFully(runner, db.pool, PROJECTIONS);
  });
  afterAll(() => db.drop());

  it('leaves out a report at 02:00 when `from` is 12:00 the same day', async () => {
    const day = (from: string) => stats({ from, to: '2025-10-11T00:00:00Z' });
    expect(await day('2025-10-10T00:00:00Z')).toEqual([
      {
        bucketStart: '2025-10-10T00:00:00.000Z',
        partyId: 'israel',
        reports: 2,
        corroborated: 1,
        confirmed: 0,
        killed: 3,
        injured: 5,
      },
    ]);
    // The night strike (02:00) is before `from`; the discounted evening strike counts nowhere.
    expect(await day('2025-10-10T12:00:00Z')).toEqual([
      {
        bucketStart: '2025-10-10T00:00:00.000Z',
        partyId: 'israel',
        reports: 1,
        corroborated: 1,
        confirmed: 0,
        killed: 2,
        injured: 1,
      },
    ]);
  });

  it('leaves out the rest of the day `to` falls in, and a report at `to` itself', async () => {
    expect(await stats({ from: '2025-10-10T00:00:00Z', to: '2025-10-10T12:00:00Z' })).toEqual([
      expect.objectContaining({ bucketStart: '2025-10-10T00:00:00.000Z', reports: 1, killed: 1 }),
    ]);
    // A report exactly at `to` is left out (GET /v1/violations: before `to`); at `from`, counted.
    expect(await stats({ from: '2025-10-12T00:00:00Z', to: '2025-10-13T00:00:00Z' })).toEqual([]);
    expect(await stats({ from: '2025-10-13T00:00:00Z', to: '2025-10-13T00:00:00.001Z' })).toEqual([
      expect.objectContaining({ bucketStart: '2025-10-13T00:00:00.000Z', reports: 1 }),
    ]);
    // Both inside one day: only what occurred between them.
    expect(await stats({ from: '2025-10-11T12:00:00Z', to: '2025-10-11T23:59:59.999Z' })).toEqual(
      [],
    );
    expect(await stats({ from: '2025-10-11T12:00:00Z', to: '2025-10-12T00:00:00Z' })).toEqual([
      {
        bucketStart: '2025-10-11T00:00:00.000Z',
        partyId: 'hamas',
        reports: 1,
        corroborated: 1,
        confirmed: 1,
        killed: 0,
        injured: 2,
      },
    ]);
    // `to` before `from`: nothing.
    expect(await stats({ from: '2025-10-11T12:00:00Z', to: '2025-10-10T12:00:00Z' })).toEqual([]);
  });

  const ranges: ViolationStatsQuery[] = [
    {},
    { from: '2025-10-10T00:00:00Z' },
    { from: '2025-10-10T02:00:00.001Z' },
    { to: '2025-10-11T11:00:00Z' },
    { to: '2025-10-11T11:00:00.001Z' },
    { from: '2025-10-10T12:00:00Z', to: '2025-10-11T12:00:00Z' },
    { from: '2025-10-10T14:00:00+02:00', to: '2025-10-13T00:00:00.001Z' },
    { from: '2025-10-09T23:00:00-05:00', to: '2025-10-20T06:00:00Z' },
    { from: '2025-10-11T00:00:00Z', to: '2025-10-21T00:00:00Z' },
  ];
  it.each(
    ranges.flatMap((r) => [r, { ...r, bucket: 'week' as const }, { ...r, partyId: 'hamas' }]),
  )('counts exactly the reports GET /v1/violations lists for %j', async (q) => {
    expect(await stats(q)).toEqual(expectedStats(await occurredIn(q), q));
  });
});
