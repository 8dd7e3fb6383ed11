// Recomputes every obligation of some agreements with the one status rule and writes the rows that
// moved. Shared by the obligations projection (after new events) and the status sweep (after time
// passed): recomputing whole agreements makes dependants follow their conditions.
import type {
  AgreementState,
  ObligationRecord,
  ObligationStatus,
  ObligationStatusResult,
} from '@app/domain';
import {
  agreementAnchors,
  computeAgreementObligationStatuses,
  initialAgreementState,
  isRateObligation,
} from '@app/domain';
import type { PoolClient } from 'pg';
import { groupBy } from '../projection';

export interface ObligationOverride {
  record: ObligationRecord;
  streamVersion: number;
}

interface StoredObligationRow {
  obligation_id: string;
  agreement_id: string;
  record: ObligationRecord;
  stream_version: number;
  status: ObligationStatus;
  status_since: Date;
  effective_due_at: Date | null;
  fulfilled_at: Date | null;
  next_status_check_at: Date | null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** Locks (creating when missing) the per-agreement anchor rows, in id order to avoid deadlocks. */
export async function lockAgreementAnchors(
  client: PoolClient,
  agreementIds: readonly string[],
): Promise<Map<string, { agreement: AgreementState; streamVersion: number }>> {
  await client.query(
    `INSERT INTO proj_obligation_anchors (agreement_id)
     SELECT unnest($1::text[]) ON CONFLICT (agreement_id) DO NOTHING`,
    [agreementIds],
  );
  const { rows } = await client.query<{
    agreement_id: string;
    agreement: AgreementState | null;
    stream_version: number;
  }>(
    `SELECT agreement_id, agreement, stream_version FROM proj_obligation_anchors
      WHERE agreement_id = ANY ($1::text[]) ORDER BY agreement_id FOR UPDATE`,
    [agreementIds],
  );
  return new Map(
    rows.map((r) => [
      r.agreement_id,
      { agreement: r.agreement ?? initialAgreementState(), streamVersion: r.stream_version },
    ]),
  );
}

export interface RecomputeCause {
  /** Per agreement, when the facts that triggered this recompute were recorded. */
  recordedAt?: ReadonlyMap<string, Date>;
}

/**
 * Agreements recomputed per round (read, compute, write). An obligation's status depends only on
 * its own agreement, so rounds are independent; they bound what is held at once. A batch of a
 * rebuild touches every agreement, and each obligation row carries its record and its rate
 * windows: all 1,467 obligations of the million-event benchmark at once came to some 14 MB of
 * JSON and most of the rebuild's growth in peak memory with the size of the feed.
 */
export const AGREEMENTS_PER_ROUND = 10;

/**
 * Recomputes all obligations of the agreements (whose anchor rows the caller has locked) at `now`,
 * with `overrides` replacing stored records, `agreementsPerRound` agreements at a time. Returns
 * how many statuses changed.
 */
export async function recomputeAgreements(
  client: PoolClient,
  anchors: ReadonlyMap<string, { agreement: AgreementState }>,
  now: Date,
  overrides: ReadonlyMap<string, ObligationOverride> = new Map(),
  cause: RecomputeCause = {},
  agreementsPerRound = AGREEMENTS_PER_ROUND,
): Promise<number> {
  const agreementIds = [...anchors.keys()];
  const overridesOf = groupBy([...overrides], ([, override]) => override.record.agreementId);
  let changed = 0;
  for (let i = 0; i < agreementIds.length; i += agreementsPerRound) {
    const round = agreementIds.slice(i, i + agreementsPerRound);
    // A round sees the overrides of its own agreements only.
    const roundOverrides = new Map(round.flatMap((id) => overridesOf.get(id) ?? []));
    changed += await recomputeRound(client, round, anchors, now, roundOverrides, cause);
  }
  return changed;
}

async function recomputeRound(
  client: PoolClient,
  agreementIds: readonly string[],
  anchors: ReadonlyMap<string, { agreement: AgreementState }>,
  now: Date,
  overrides: ReadonlyMap<string, ObligationOverride>,
  cause: RecomputeCause,
): Promise<number> {
  const { rows } = await client.query<StoredObligationRow>(
    `SELECT obligation_id, agreement_id, record, stream_version, status, status_since,
            effective_due_at, fulfilled_at, next_status_check_at
       FROM proj_obligations WHERE agreement_id = ANY ($1::text[])`,
    [agreementIds],
  );
  const storedById = new Map(rows.map((r) => [r.obligation_id, r]));
  const byAgreement = new Map<string, ObligationRecord[]>();
  const add = (record: ObligationRecord) => {
    const list = byAgreement.get(record.agreementId) ?? [];
    list.push(record);
    byAgreement.set(record.agreementId, list);
  };
  for (const row of rows) if (!overrides.has(row.obligation_id)) add(row.record);
  for (const override of overrides.values()) add(override.record);

  const writes: Record<string, unknown>[] = [];
  let changedStatuses = 0;
  for (const [agreementId, records] of byAgreement) {
    const agreement = anchors.get(agreementId)?.agreement ?? initialAgreementState();
    const results = computeAgreementObligationStatuses(
      records,
      now.getTime(),
      agreementAnchors(agreement),
    );
    for (const record of records) {
      const result = results.get(record.id) as ObligationStatusResult;
      const before = storedById.get(record.id);
      const override = overrides.get(record.id);
      const statusChanged = before?.status !== result.status;
      if (statusChanged) changedStatuses += 1;
      const moved =
        override !== undefined ||
        statusChanged ||
        iso(before?.next_status_check_at ?? null) !== result.nextCheckAt ||
        iso(before?.effective_due_at ?? null) !== result.effectiveDueAt ||
        iso(before?.fulfilled_at ?? null) !== result.fulfilledAt;
      if (!moved) continue;
      writes.push(
        rowOf(record, result, {
          streamVersion: override?.streamVersion ?? before?.stream_version ?? 0,
          statusSince: statusChanged
            ? statusSinceOf(before, now, cause.recordedAt?.get(agreementId))
            : (before as StoredObligationRow).status_since.toISOString(),
          now,
        }),
      );
    }
  }
  if (writes.length > 0) await writeObligationRows(client, writes);
  return changedStatuses;
}

/** When a status changed: the check time that fell due, else when the triggering facts were recorded. */
function statusSinceOf(
  before: StoredObligationRow | undefined,
  now: Date,
  recordedAt: Date | undefined,
): string {
  if (before === undefined) return (recordedAt ?? now).toISOString();
  const due = before.next_status_check_at;
  if (recordedAt !== undefined) return recordedAt.toISOString();
  if (due !== null && due.getTime() <= now.getTime()) return due.toISOString();
  return now.toISOString();
}

function rowOf(
  record: ObligationRecord,
  result: ObligationStatusResult,
  extra: { streamVersion: number; statusSince: string; now: Date },
): Record<string, unknown> {
  return {
    obligation_id: record.id,
    agreement_id: record.agreementId,
    phase_key: record.phaseKey,
    kind: record.kind,
    responsible_party_id: record.responsiblePartyId,
    beneficiary_party_id: record.beneficiaryPartyId,
    is_rate: isRateObligation(record),
    status: result.status,
    status_since: extra.statusSince,
    status_computed_at: extra.now.toISOString(),
    effective_due_at: result.effectiveDueAt,
    original_due_at: result.originalDueAt,
    fulfilled_at: result.fulfilledAt,
    late: result.late,
    delivered: result.delivered,
    progress: result.progress,
    window_compliance_rate: result.windowComplianceRate,
    windows: result.windows,
    unmet_conditions: result.unmetConditions,
    next_status_check_at: result.nextCheckAt,
    record,
    stream_version: extra.streamVersion,
    updated_at: record.updatedAt,
  };
}

async function writeObligationRows(
  client: PoolClient,
  rows: Record<string, unknown>[],
): Promise<void> {
  await client.query(
    `INSERT INTO proj_obligations (obligation_id, agreement_id, phase_key, kind, responsible_party_id,
        beneficiary_party_id, is_rate, status, status_since, status_computed_at, effective_due_at,
        original_due_at, fulfilled_at, late, delivered, progress, window_compliance_rate, windows,
        unmet_conditions, next_status_check_at, record, stream_version, updated_at)
     SELECT r.obligation_id, r.agreement_id, r.phase_key, r.kind, r.responsible_party_id,
        r.beneficiary_party_id, r.is_rate, r.status, r.status_since, r.status_computed_at,
        r.effective_due_at, r.original_due_at, r.fulfilled_at, r.late, r.delivered, r.progress,
        r.window_compliance_rate, r.windows, r.unmet_conditions, r.next_status_check_at, r.record,
        r.stream_version, r.updated_at
       FROM jsonb_to_recordset($1::jsonb) AS r(obligation_id text, agreement_id text,
        phase_key text, kind text, responsible_party_id text, beneficiary_party_id text,
        is_rate boolean, status text, status_since timestamptz, status_computed_at timestamptz,
        effective_due_at timestamptz, original_due_at timestamptz, fulfilled_at timestamptz,
        late boolean, delivered double precision, progress double precision,
        window_compliance_rate double precision, windows jsonb, unmet_conditions text[],
        next_status_check_at timestamptz, record jsonb, stream_version integer,
        updated_at timestamptz)
     ON CONFLICT (obligation_id) DO UPDATE SET
        phase_key = EXCLUDED.phase_key, kind = EXCLUDED.kind,
        responsible_party_id = EXCLUDED.responsible_party_id,
        beneficiary_party_id = EXCLUDED.beneficiary_party_id, is_rate = EXCLUDED.is_rate,
        status = EXCLUDED.status, status_since = EXCLUDED.status_since,
        status_computed_at = EXCLUDED.status_computed_at,
        effective_due_at = EXCLUDED.effective_due_at, original_due_at = EXCLUDED.original_due_at,
        fulfilled_at = EXCLUDED.fulfilled_at, late = EXCLUDED.late, delivered = EXCLUDED.delivered,
        progress = EXCLUDED.progress, window_compliance_rate = EXCLUDED.window_compliance_rate,
        windows = EXCLUDED.windows, unmet_conditions = EXCLUDED.unmet_conditions,
        next_status_check_at = EXCLUDED.next_status_check_at, record = EXCLUDED.record,
        stream_version = EXCLUDED.stream_version, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(rows)],
  );
}
