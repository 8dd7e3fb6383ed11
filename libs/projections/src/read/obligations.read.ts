// Obligation read model (API.md "Obligation read model, field by field"): GET /v1/obligations and
// /v1/obligations/:id.
import type {
  DueWithin,
  JsonObject,
  ObligationKind,
  ObligationRecord,
  ObligationStatus,
  RateWindow,
  Source,
  Target,
  VerificationLevel,
} from '@app/domain';
import { VERIFICATION_LEVELS } from '@app/domain';
import type { Pool } from 'pg';
import type { Page } from './cursor';
import { decodeListCursor, isoTimestamp, pageLimit, toPage } from './cursor';
import { filteredQuery } from './filtered-query';

export type ViolationLevelCounts = Record<VerificationLevel, number>;

export interface ObligationReadModel {
  id: string;
  agreementId: string;
  phaseKey: string;
  kind: ObligationKind;
  title: string;
  description: string | null;
  clause: string | null;
  responsiblePartyId: string;
  beneficiaryPartyId: string | null;
  target: Target | null;
  delivered: number;
  progress: number | null;
  dueAt: string | null;
  originalDueAt: string | null;
  dueWithin: DueWithin | null;
  deadlineAmendments: Array<{
    dueAt: string;
    previousDueAt: string | null;
    reason: string;
    source: Source | null;
    recordedAt: string;
  }>;
  conditions: Array<{ obligationId: string; status: ObligationStatus | null }>;
  status: ObligationStatus;
  statusSince: string;
  fulfilledAt: string | null;
  late: boolean;
  claims: Array<{
    claimedByPartyId: string;
    occurredAt: string;
    source: Source;
    note: string | null;
    recordedAt: string;
  }>;
  disputes: Array<{
    note: string;
    occurredAt: string | null;
    source: Source | null;
    recordedAt: string;
  }>;
  verifications: ObligationRecord['verifications'];
  /** The delivery log; only on the single read (lists leave it out). */
  deliveries?: ObligationRecord['deliveries'];
  stateChanges: ObligationRecord['stateChanges'];
  sources: readonly Source[];
  terms: JsonObject | null;
  /** Rate obligations only: complete windows, most recent first. */
  windows?: RateWindow[];
  windowComplianceRate?: number | null;
  /** Violations naming this obligation, by current verification level. */
  violations: ViolationLevelCounts;
  nextStatusCheckAt: string | null;
  updatedAt: string;
  streamVersion: number;
}

export interface ObligationFilters {
  agreementId?: string;
  /** The responsible party. */
  partyId?: string;
  phaseKey?: string;
  status?: ObligationStatus;
  kind?: ObligationKind;
}

interface ObligationRow {
  seq: string;
  obligation_id: string;
  status: ObligationStatus;
  // Times come formatted as the read model gives them (isoTimestamp): no Date made and formatted
  // again for each of a page's rows.
  status_since: string;
  effective_due_at: string | null;
  original_due_at: string | null;
  fulfilled_at: string | null;
  late: boolean;
  delivered: number;
  progress: number | null;
  window_compliance_rate: number | null;
  windows: RateWindow[] | null;
  next_status_check_at: string | null;
  record: ObligationRecord;
  stream_version: number;
  /** The statuses of its conditions, by obligation id (enriched in the same statement). */
  condition_statuses: Record<string, ObligationStatus>;
  /** Reports naming it, by verification level (levels without any are absent). */
  violation_counts: Partial<ViolationLevelCounts>;
}

/** The columns both reads take; `record` and `windows` are whole or trimmed (see below). */
const obligationColumns = (record: string, windows: string) => `seq::text, obligation_id, status,
    ${isoTimestamp('status_since')} AS status_since,
    ${isoTimestamp('effective_due_at')} AS effective_due_at,
    ${isoTimestamp('original_due_at')} AS original_due_at,
    ${isoTimestamp('fulfilled_at')} AS fulfilled_at, late, delivered, progress,
    window_compliance_rate, ${windows} AS windows,
    ${isoTimestamp('next_status_check_at')} AS next_status_check_at, ${record} AS record,
    stream_version`;

const SELECT_OBLIGATIONS = `SELECT ${obligationColumns('record', 'windows')} FROM proj_obligations p`;

/** Windows a list item carries (most recent first); GET /v1/obligations/:id carries them all. */
export const LISTED_WINDOWS = 30;

// A list page stays small whatever the obligations' age: a daily rate obligation gathers up to 366
// windows and a delivery per day, so list items carry the recent windows and no delivery log.
const SELECT_OBLIGATION_SUMMARIES = `SELECT ${obligationColumns(
  `record - 'deliveries'`,
  `jsonb_path_query_array(windows, '$[0 to ${LISTED_WINDOWS - 1}]')`,
)} FROM proj_obligations p`;

const EMPTY_LEVEL_COUNTS: Readonly<ViolationLevelCounts> = Object.freeze(
  Object.fromEntries(VERIFICATION_LEVELS.map((l) => [l, 0])) as ViolationLevelCounts,
);

export function emptyLevelCounts(): ViolationLevelCounts {
  return { ...EMPTY_LEVEL_COUNTS };
}

/**
 * A page of obligations (`rows`: a SELECT of them, ordered and limited) with its conditions'
 * statuses and its violation counts, in one statement: the scalar subqueries run for the page's
 * rows only. Counting reports at read time fetched every report naming the page's obligations, a
 * heap page each (hundreds per page): the violations projection keeps the counts. One statement
 * instead of three: each round trip costs the API a socket write and PostgreSQL a statement.
 */
function enriched(rows: string): string {
  return `SELECT q.*,
    (SELECT coalesce(jsonb_object_agg(c.obligation_id, c.status), '{}'::jsonb) FROM proj_obligations c
      WHERE c.obligation_id IN (SELECT jsonb_array_elements_text(q.record -> 'conditions')))
      AS condition_statuses,
    (SELECT coalesce(jsonb_object_agg(v.verification, v.reports), '{}'::jsonb)
       FROM proj_obligation_violation_counts v WHERE v.obligation_id = q.obligation_id)
      AS violation_counts
    FROM (${rows}) q ORDER BY q.seq::bigint`;
}

function toObligation(r: ObligationRow): ObligationReadModel {
  const o = r.record;
  const rate = o.target?.per !== undefined;
  return {
    id: o.id,
    agreementId: o.agreementId,
    phaseKey: o.phaseKey,
    kind: o.kind,
    title: o.title,
    description: o.description,
    clause: o.clause,
    responsiblePartyId: o.responsiblePartyId,
    beneficiaryPartyId: o.beneficiaryPartyId,
    target: o.target,
    delivered: r.delivered,
    progress: r.progress,
    dueAt: r.effective_due_at,
    originalDueAt: r.original_due_at,
    dueWithin: o.dueWithin,
    deadlineAmendments: o.deadlineAmendments.map((a) => ({
      dueAt: a.dueAt,
      previousDueAt: a.previousDueAt,
      reason: a.reason,
      source: a.source,
      recordedAt: a.recordedAt,
    })),
    conditions: o.conditions.map((id) => ({
      obligationId: id,
      status: r.condition_statuses[id] ?? null,
    })),
    status: r.status,
    statusSince: r.status_since,
    fulfilledAt: r.fulfilled_at,
    late: r.late,
    claims: o.claims.map((c) => ({ ...c })),
    disputes: o.verifications
      .filter((v) => v.outcome === 'disputed')
      .map((v) => ({
        note: v.note,
        occurredAt: v.occurredAt,
        source: v.source,
        recordedAt: v.recordedAt,
      })),
    verifications: o.verifications,
    ...(o.deliveries ? { deliveries: o.deliveries } : {}),
    stateChanges: o.stateChanges,
    sources: o.sources,
    terms: o.terms,
    ...(rate ? { windows: r.windows ?? [], windowComplianceRate: r.window_compliance_rate } : {}),
    violations: { ...EMPTY_LEVEL_COUNTS, ...r.violation_counts },
    nextStatusCheckAt: r.next_status_check_at,
    updatedAt: o.updatedAt,
    streamVersion: r.stream_version,
  };
}

export async function getObligation(
  pool: Pick<Pool, 'query'>,
  obligationId: string,
): Promise<ObligationReadModel | null> {
  const { rows } = await pool.query<ObligationRow>({
    name: 'ceasefire_obligation',
    text: enriched(`${SELECT_OBLIGATIONS} WHERE obligation_id = $1`),
    values: [obligationId],
  });
  return rows[0] ? toObligation(rows[0]) : null;
}

/** In registration order, filtered; a keyset cursor on the projection's seq. */
export async function listObligations(
  pool: Pick<Pool, 'query'>,
  filters: ObligationFilters = {},
  cursor?: string | null,
  limit?: number,
): Promise<Page<ObligationReadModel>> {
  const after = decodeListCursor('obligations', cursor);
  const size = pageLimit(limit);
  const { rows } = await pool.query<ObligationRow>(
    filteredQuery(
      'ceasefire_obligations',
      [
        ['agreement_id = $', filters.agreementId],
        ['responsible_party_id = $', filters.partyId],
        ['phase_key = $', filters.phaseKey],
        ['status = $', filters.status],
        ['kind = $', filters.kind],
        ['seq > $::bigint', after],
      ],
      (where, param) =>
        enriched(
          `${SELECT_OBLIGATION_SUMMARIES} WHERE ${where} ORDER BY p.seq LIMIT ${param(size + 1)}`,
        ),
    ),
  );
  const page = toPage('obligations', rows, size, (r) => r);
  return { items: page.items.map(toObligation), nextCursor: page.nextCursor };
}
