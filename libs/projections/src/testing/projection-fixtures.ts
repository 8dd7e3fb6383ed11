// Test fixtures for projection specs (kept out of the production build: libs/*/src/testing).
// Test helpers for the projection specs (not exported from the library): append domain events the
// way the API does, and dump projection tables for comparisons.
import type { Actor, DomainEvent } from '@app/domain';
import { eventOccurredAt } from '@app/domain';
import { EventStore } from '@app/event-store';
import * as fx from '@app/testing';
import type { Pool } from 'pg';
import type { Projection } from '../projection';
import { PROJECTIONS } from '../projections';

export function streamOf(event: DomainEvent): { streamId: string; streamType: string } {
  const data = event.data as { agreementId: string; obligationId?: string; violationId?: string };
  if ('violationId' in data && data.violationId !== undefined)
    return { streamId: `violation-${data.violationId}`, streamType: 'violation' };
  if ('obligationId' in data && data.obligationId !== undefined)
    return { streamId: `obligation-${data.obligationId}`, streamType: 'obligation' };
  return { streamId: `agreement-${data.agreementId}`, streamType: 'agreement' };
}

const defaultActor: Actor = { keyId: 'key-monitor', name: 'Field monitor', role: 'monitor' };

/** Appends events to their streams (consecutive events of one stream in one append). */
export async function appendEvents(
  store: EventStore,
  events: readonly DomainEvent[],
  actor: Actor = defaultActor,
): Promise<void> {
  let i = 0;
  while (i < events.length) {
    const { streamId, streamType } = streamOf(events[i]);
    const batch: DomainEvent[] = [];
    while (i < events.length && streamOf(events[i]).streamId === streamId) batch.push(events[i++]);
    await store.append(
      streamId,
      streamType,
      batch.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: { actor, correlationId: 'test' },
        occurredAt: eventOccurredAt(event),
      })),
      'any',
    );
  }
}

export const PROJECTION_TABLES = {
  proj_agreements: 'agreement_id',
  proj_obligation_anchors: 'agreement_id',
  proj_obligations: 'obligation_id',
  proj_violations: 'violation_id',
  proj_violation_stats_daily: 'agreement_id, day, party_id',
  proj_obligation_violation_counts: 'obligation_id, verification',
  proj_party_violation_counts: 'agreement_id, party_id, verification',
  proj_agreement_violation_totals: 'agreement_id',
  proj_timeline: 'seq',
  proj_casualty_tallies: 'tally_id',
} as const;

/** Every projection table's rows as JSON, without identity columns and computation times. */
export async function dumpProjections(
  pool: Pool,
  omit: readonly string[] = ['seq', 'status_computed_at'],
): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(PROJECTION_TABLES)) {
    const { rows } = await pool.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${order}`,
    );
    dump[table] = rows.map(({ row }) => {
      const copy = { ...row };
      for (const column of omit) delete copy[column];
      return copy;
    });
  }
  return dump;
}

export async function resetProjections(pool: Pool): Promise<void> {
  await pool.query(
    `TRUNCATE ${Object.keys(PROJECTION_TABLES).join(', ')}; DELETE FROM projection_checkpoints`,
  );
}

/** The October 2025 Gaza agreement as DOMAIN.md tells it, up to 14 October 2025. */
export function gazaOctober2025(): DomainEvent[] {
  const eff = fx.OCT_2025.effectiveAt; // 2025-10-10T09:00Z
  return [
    fx.oct2025Registered(),
    fx.phaseStarted('phase-1', eff, '2025-10-10T10:00:00.000Z'),
    fx.obligationRegistered({
      obligationId: 'hostages-living',
      title: 'Return all 20 living hostages',
      target: { quantity: 20, unit: 'hostages' },
      dueWithin: { hours: 72, after: 'agreement_effective' },
    }),
    fx.obligationRegistered({
      obligationId: 'hostages-remains',
      kind: 'remains_return',
      title: 'Return the remains of all 28 deceased hostages',
      target: { quantity: 28, unit: 'remains' },
      dueWithin: { hours: 72, after: 'agreement_effective' },
    }),
    fx.obligationRegistered({
      obligationId: 'rafah-crossing',
      kind: 'crossing_reopening',
      title: 'Reopen the Rafah crossing',
      responsiblePartyId: 'israel',
      beneficiaryPartyId: 'hamas',
      conditions: ['hostages-remains'],
      dueWithin: { hours: 168, after: 'conditions_met' },
    }),
    fx.obligationRegistered({
      obligationId: 'aid-trucks',
      kind: 'aid_access',
      title: 'At least 600 aid trucks a day',
      responsiblePartyId: 'israel',
      beneficiaryPartyId: 'hamas',
      target: { quantity: 600, unit: 'trucks', per: 'day' },
      dueWithin: { hours: 0, after: 'agreement_effective' },
    }),
    fx.progressReported('hostages-living', 20, '2025-10-13T08:00:00.000Z'),
    fx.progressReported('hostages-remains', 4, '2025-10-13T07:00:00.000Z'),
    fx.progressReported('aid-trucks', 600, '2025-10-11T18:00:00.000Z'),
    fx.progressReported('aid-trucks', 450, '2025-10-12T18:00:00.000Z'),
    fx.progressReported('aid-trucks', 650, '2025-10-13T18:00:00.000Z'),
    fx.violationReported({
      violationId: 'strike-gaza-city',
      occurredAt: '2025-10-11T14:00:00.000Z',
      recordedAt: '2025-10-11T16:00:00.000Z',
    }),
    {
      type: 'ViolationSourceAdded',
      data: {
        violationId: 'strike-gaza-city',
        agreementId: fx.OCT_2025.agreementId,
        source: fx.reuters,
        recordedAt: '2025-10-11T18:00:00.000Z',
      },
    },
    fx.violationReported({
      violationId: 'strikes-khan-younis',
      occurredAt: '2025-10-12T10:00:00.000Z',
      recordedAt: '2025-10-12T12:00:00.000Z',
      category: 'shooting',
      location: { name: 'Khan Younis', lat: 31.34, lon: 34.3, precision: 'approximate' },
      casualties: { killed: 5, injured: 0 },
    }),
    {
      type: 'ViolationConfirmed',
      data: {
        violationId: 'strikes-khan-younis',
        agreementId: fx.OCT_2025.agreementId,
        note: 'footage geolocated',
        recordedAt: '2025-10-13T12:00:00.000Z',
      },
    },
    fx.violationReported({
      violationId: 'aid-obstruction',
      occurredAt: '2025-10-12T09:00:00.000Z',
      recordedAt: '2025-10-12T11:00:00.000Z',
      category: 'aid_obstruction',
      allegedPartyId: 'hamas',
      casualties: { killed: 0, injured: 0 },
      sources: [{ name: 'COGAT', kind: 'party' }],
    }),
    {
      type: 'ViolationDisputed',
      data: {
        violationId: 'aid-obstruction',
        agreementId: fx.OCT_2025.agreementId,
        partyId: 'hamas',
        statement: 'trucks were held at the crossing',
        source: null,
        recordedAt: '2025-10-12T15:00:00.000Z',
      },
    },
    fx.violationReported({
      violationId: 'strike-rafah',
      occurredAt: '2025-10-13T10:00:00.000Z',
      recordedAt: '2025-10-13T11:00:00.000Z',
      casualties: { killed: 2, injured: 1 },
    }),
    {
      type: 'ViolationDiscounted',
      data: {
        violationId: 'strike-rafah',
        agreementId: fx.OCT_2025.agreementId,
        note: 'predates the ceasefire',
        recordedAt: '2025-10-13T20:00:00.000Z',
      },
    },
    tally('tally-1', fx.healthMinistry, '2025-10-12T00:00:00.000Z', 10, 40, 'israel'),
    tally('tally-2', fx.healthMinistry, '2025-10-14T00:00:00.000Z', 30, 100, 'israel'),
    tally('tally-3', fx.unOcha, '2025-10-13T00:00:00.000Z', 25, 90, null),
  ];
}

function tally(
  tallyId: string,
  source: { name: string },
  asOf: string,
  killed: number,
  injured: number,
  attributedToPartyId: string | null,
): DomainEvent {
  return {
    type: 'CasualtyTallyRecorded',
    data: {
      agreementId: fx.OCT_2025.agreementId,
      tallyId,
      source,
      asOf,
      killed,
      injured,
      attributedToPartyId,
      note: null,
      recordedAt: asOf,
    },
  };
}

/**
 * True when the checkpoint of each of these projections that live catch-up applies has passed
 * every stored event. One whose checkpoint another version of it wrote awaits its rebuild: catch-up
 * leaves it alone, so it is not waited for (it would never come).
 */
export async function allApplied(
  pool: Pool,
  projections: readonly Projection[] = PROJECTIONS,
): Promise<boolean> {
  const { rows } = await pool.query<{ behind: string }>(
    `SELECT count(*) AS behind
       FROM projection_checkpoints c
       JOIN unnest($1::text[], $2::integer[]) AS code(name, version)
         ON code.name = c.name AND code.version = c.version
      WHERE EXISTS (SELECT 1 FROM events e
                     WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))`,
    [projections.map((p) => p.name), projections.map((p) => p.version)],
  );
  return Number(rows[0].behind) === 0;
}

/**
 * Catches every projection up until it has applied every stored event (those awaiting a rebuild
 * excepted: see allApplied). The feed only hands out events below the oldest running transaction
 * of the whole server, so a transaction open in another test's database can hold it back for a
 * moment: wait for it rather than fail.
 */
export async function catchUpFully(
  runner: { catchUpAll(p: readonly Projection[]): Promise<Record<string, number>> },
  pool: Pool,
  projections: readonly Projection[],
): Promise<void> {
  for (let attempt = 0; attempt < 3000; attempt++) {
    await runner.catchUpAll(projections);
    if (await allApplied(pool, projections)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('projections did not catch up');
}

/** Waits until every stored event is below the feed's horizon (no older transaction is open). */
export async function waitForVisibleFeed(pool: Pool): Promise<void> {
  for (let attempt = 0; attempt < 3000; attempt++) {
    const { rows } = await pool.query<{ hidden: string }>(
      `SELECT count(*) AS hidden FROM events
        WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`,
    );
    if (Number(rows[0].hidden) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the feed stayed held back');
}
