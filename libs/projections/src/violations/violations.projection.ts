// proj_violations (folded record, verification level, current casualties), and
// proj_violation_stats_daily and proj_obligation_violation_counts, kept in step by taking each
// report's old contribution out and putting its new one in.
import type {
  VerificationLevel,
  ViolationEvent,
  ViolationRecord,
  ViolationState,
} from '@app/domain';
import {
  computeVerificationLevel,
  evolveViolation,
  initialViolationState,
  VIOLATION_EVENT_SCHEMA_VERSIONS,
} from '@app/domain';
import type { ViolationEventType } from '@app/domain';
import { copyRows, textArray } from '@app/shared/database/copy-rows';
import type { PoolClient } from 'pg';
import { foldBatch } from '../fold';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';

const VIOLATION_EVENT_TYPES = Object.keys(VIOLATION_EVENT_SCHEMA_VERSIONS) as ViolationEventType[];

interface StatsContribution {
  key: string;
  agreementId: string;
  day: string;
  partyId: string;
  reports: number;
  corroborated: number;
  confirmed: number;
  killed: number;
  injured: number;
}

/** What one report adds to its day's stats (API.md "Violation stats"). */
export function statsContribution(
  violation: ViolationRecord,
  level: VerificationLevel,
): StatsContribution {
  const counted = level !== 'retracted' && level !== 'discounted';
  const day = violation.occurredAt.slice(0, 10);
  return {
    key: JSON.stringify([violation.agreementId, day, violation.allegedPartyId]),
    agreementId: violation.agreementId,
    day,
    partyId: violation.allegedPartyId,
    reports: counted ? 1 : 0,
    corroborated: counted && (level === 'corroborated' || level === 'confirmed') ? 1 : 0,
    confirmed: counted && level === 'confirmed' ? 1 : 0,
    killed: counted ? violation.casualties.killed : 0,
    injured: counted ? violation.casualties.injured : 0,
  };
}

interface ObligationCountContribution {
  key: string;
  obligationId: string;
  verification: VerificationLevel;
  reports: number;
}

/**
 * What one report adds to the counts of the obligations it names: one at its level for each
 * (API.md "Verification level": the obligation read model counts them by level, every level).
 */
export function obligationCountContributions(
  violation: ViolationRecord,
  level: VerificationLevel,
): ObligationCountContribution[] {
  return [...new Set(violation.relatedObligationIds)].map((obligationId) => ({
    key: JSON.stringify([obligationId, level]),
    obligationId,
    verification: level,
    reports: 1,
  }));
}

/** A proj_violations row as the handler writes it. */
interface ViolationRow {
  violation_id: string;
  agreement_id: string;
  occurred_at: string;
  recorded_at: string;
  category: string;
  alleged_party_id: string;
  verification: VerificationLevel;
  killed: number;
  injured: number;
  has_coordinates: boolean;
  related_obligation_ids: readonly string[];
  record: ViolationRecord;
  stream_version: number;
  updated_at: string;
}

const VIOLATION_COLUMNS = [
  'violation_id',
  'agreement_id',
  'occurred_at',
  'recorded_at',
  'category',
  'alleged_party_id',
  'verification',
  'killed',
  'injured',
  'has_coordinates',
  'related_obligation_ids',
  'record',
  'stream_version',
  'updated_at',
] as const;

export const violationsProjection: Projection = {
  name: 'violations',
  // 2: proj_obligation_violation_counts.
  version: 2,
  tables: ['proj_violations', 'proj_violation_stats_daily', 'proj_obligation_violation_counts'],
  handledEventTypes: VIOLATION_EVENT_TYPES,
  async apply(events, client: PoolClient) {
    const projected = asDomainEvents(events);
    const ids = [...new Set(projected.map((e) => (e.event as ViolationEvent).data.violationId))];
    const { rows } = await client.query<{
      violation_id: string;
      record: ViolationRecord;
      stream_version: number;
    }>(
      `SELECT violation_id, record, stream_version FROM proj_violations
        WHERE violation_id = ANY ($1::text[]) FOR UPDATE`,
      [ids],
    );
    const stored = new Map(
      rows.map((r) => [r.violation_id, { state: r.record, streamVersion: r.stream_version }]),
    );
    const folded = foldBatch<ViolationState, ViolationEvent>(
      projected,
      (e) => e.data.violationId,
      stored,
      initialViolationState,
      evolveViolation,
    );
    const writes: ViolationRow[] = [];
    const deltas = new Map<string, StatsContribution>();
    const addDelta = (c: StatsContribution, sign: 1 | -1) => {
      const d = deltas.get(c.key) ?? {
        ...c,
        reports: 0,
        corroborated: 0,
        confirmed: 0,
        killed: 0,
        injured: 0,
      };
      d.reports += sign * c.reports;
      d.corroborated += sign * c.corroborated;
      d.confirmed += sign * c.confirmed;
      d.killed += sign * c.killed;
      d.injured += sign * c.injured;
      deltas.set(c.key, d);
    };
    const countDeltas = new Map<string, ObligationCountContribution>();
    const addCountDelta = (c: ObligationCountContribution, sign: 1 | -1) => {
      const d = countDeltas.get(c.key) ?? { ...c, reports: 0 };
      d.reports += sign * c.reports;
      countDeltas.set(c.key, d);
    };
    for (const [id, f] of folded) {
      if (!f.changed || f.state.stage !== 'reported') continue;
      const v = f.state;
      const level = computeVerificationLevel(v);
      const before = stored.get(id)?.state;
      if (before && before.stage === 'reported') {
        const beforeLevel = computeVerificationLevel(before);
        addDelta(statsContribution(before, beforeLevel), -1);
        for (const c of obligationCountContributions(before, beforeLevel)) addCountDelta(c, -1);
      }
      addDelta(statsContribution(v, level), 1);
      for (const c of obligationCountContributions(v, level)) addCountDelta(c, 1);
      writes.push({
        violation_id: v.id,
        agreement_id: v.agreementId,
        occurred_at: v.occurredAt,
        recorded_at: v.recordedAt,
        category: v.category,
        alleged_party_id: v.allegedPartyId,
        verification: level,
        killed: v.casualties.killed,
        injured: v.casualties.injured,
        has_coordinates: v.location.lat !== undefined && v.location.lon !== undefined,
        related_obligation_ids: v.relatedObligationIds,
        record: v,
        stream_version: f.streamVersion,
        updated_at: v.updatedAt,
      });
    }
    if (writes.length === 0) return;
    // Reports seen for the first time (every report, in a rebuild) go in through COPY; the others
    // are updated in place.
    await copyRows(
      client,
      'proj_violations',
      VIOLATION_COLUMNS,
      writes
        .filter((w) => !stored.has(w.violation_id))
        .map((w) =>
          VIOLATION_COLUMNS.map((c) =>
            c === 'related_obligation_ids' ? textArray(w.related_obligation_ids) : w[c],
          ),
        ),
    );
    const updates = writes.filter((w) => stored.has(w.violation_id));
    if (updates.length > 0) {
      await client.query(
        `UPDATE proj_violations AS v SET verification = r.verification, killed = r.killed,
            injured = r.injured, record = r.record, stream_version = r.stream_version,
            updated_at = r.updated_at
           FROM jsonb_to_recordset($1::jsonb) AS r(violation_id text, verification text,
            killed integer, injured integer, record jsonb, stream_version integer,
            updated_at timestamptz)
          WHERE v.violation_id = r.violation_id`,
        [
          JSON.stringify(
            updates.map((w) => ({
              violation_id: w.violation_id,
              verification: w.verification,
              killed: w.killed,
              injured: w.injured,
              record: w.record,
              stream_version: w.stream_version,
              updated_at: w.updated_at,
            })),
          ),
        ],
      );
    }
    await applyStatsDeltas(client, [...deltas.values()]);
    await applyObligationCountDeltas(client, [...countDeltas.values()]);
  },
};

async function applyStatsDeltas(client: PoolClient, deltas: StatsContribution[]): Promise<void> {
  const changedStats = deltas
    .filter((d) => d.reports || d.corroborated || d.confirmed || d.killed || d.injured)
    .map(({ key: _key, ...delta }) => delta);
  if (changedStats.length === 0) return;
  await client.query(
    `INSERT INTO proj_violation_stats_daily AS s (agreement_id, day, party_id, reports,
        corroborated, confirmed, killed, injured)
     SELECT r."agreementId", r.day, r."partyId", r.reports, r.corroborated, r.confirmed,
        r.killed, r.injured
       FROM jsonb_to_recordset($1::jsonb) AS r("agreementId" text, day date, "partyId" text,
        reports integer, corroborated integer, confirmed integer, killed bigint, injured bigint)
     ON CONFLICT (agreement_id, day, party_id) DO UPDATE SET
        reports = s.reports + EXCLUDED.reports,
        corroborated = s.corroborated + EXCLUDED.corroborated,
        confirmed = s.confirmed + EXCLUDED.confirmed,
        killed = s.killed + EXCLUDED.killed, injured = s.injured + EXCLUDED.injured`,
    [JSON.stringify(changedStats)],
  );
  // A day whose last counted report was retracted or discounted has no row, as if never counted.
  await client.query(
    `DELETE FROM proj_violation_stats_daily
      WHERE agreement_id = ANY ($1::text[]) AND reports = 0`,
    [[...new Set(changedStats.map((d) => d.agreementId))]],
  );
}

async function applyObligationCountDeltas(
  client: PoolClient,
  deltas: ObligationCountContribution[],
): Promise<void> {
  const changed = deltas.filter((d) => d.reports !== 0).map(({ key: _key, ...delta }) => delta);
  if (changed.length === 0) return;
  await client.query(
    `INSERT INTO proj_obligation_violation_counts AS c (obligation_id, verification, reports)
     SELECT r."obligationId", r.verification, r.reports
       FROM jsonb_to_recordset($1::jsonb) AS r("obligationId" text, verification text,
        reports integer)
     ON CONFLICT (obligation_id, verification) DO UPDATE SET reports = c.reports + EXCLUDED.reports`,
    [JSON.stringify(changed)],
  );
  // A level no report of the obligation is at any more has no row, as if never counted: the
  // table is then the same whether built report by report or in one batch.
  await client.query(
    `DELETE FROM proj_obligation_violation_counts
      WHERE obligation_id = ANY ($1::text[]) AND reports = 0`,
    [[...new Set(changed.map((d) => d.obligationId))]],
  );
}
