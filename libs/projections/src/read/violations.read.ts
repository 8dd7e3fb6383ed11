// Violation read model (API.md "Violation read model"), the list with its filters, and the
// per-bucket stats.
import type {
  Casualties,
  Reporter,
  Source,
  VerificationLevel,
  ViolationCategory,
  ViolationLocation,
  ViolationRecord,
} from '@app/domain';
import { verificationNoteOf } from '@app/domain';
import type { Pool } from 'pg';
import type { Page } from './cursor';
import { decodeListCursor, pageLimit, toPage } from './cursor';
import { filteredQuery } from './filtered-query';

export interface ViolationReadModel {
  id: string;
  agreementId: string;
  occurredAt: string;
  recordedAt: string;
  location: ViolationLocation;
  category: ViolationCategory;
  allegedPartyId: string;
  description: string;
  casualties: Casualties;
  casualtyRevisions: ViolationRecord['casualtyRevisions'];
  sources: readonly Source[];
  disputes: ViolationRecord['disputes'];
  verification: VerificationLevel;
  verificationNote: string | null;
  retraction: ViolationRecord['retraction'];
  relatedObligationIds: readonly string[];
  reportedBy: Reporter;
  updatedAt: string;
  streamVersion: number;
}

export interface ViolationFilters {
  agreementId?: string;
  /** The alleged party. */
  partyId?: string;
  category?: ViolationCategory;
  verification?: VerificationLevel;
  /** On occurredAt, inclusive. */
  from?: Date | string;
  /** On occurredAt, exclusive. */
  to?: Date | string;
}

interface ViolationRow {
  seq: string;
  verification: VerificationLevel;
  record: ViolationRecord;
  stream_version: number;
}

const SELECT_VIOLATIONS =
  'SELECT seq::text, verification, record, stream_version FROM proj_violations p';

function toViolation(r: ViolationRow): ViolationReadModel {
  const v = r.record;
  return {
    id: v.id,
    agreementId: v.agreementId,
    occurredAt: v.occurredAt,
    recordedAt: v.recordedAt,
    location: v.location,
    category: v.category,
    allegedPartyId: v.allegedPartyId,
    description: v.description,
    casualties: v.casualties,
    casualtyRevisions: v.casualtyRevisions,
    sources: v.sources,
    disputes: v.disputes,
    verification: r.verification,
    verificationNote: verificationNoteOf(v),
    retraction: v.retraction,
    relatedObligationIds: v.relatedObligationIds,
    reportedBy: v.reportedBy,
    updatedAt: v.updatedAt,
    streamVersion: r.stream_version,
  };
}

export async function getViolation(
  pool: Pick<Pool, 'query'>,
  violationId: string,
): Promise<ViolationReadModel | null> {
  const { rows } = await pool.query<ViolationRow>({
    name: 'ceasefire_violation',
    text: `${SELECT_VIOLATIONS} WHERE violation_id = $1`,
    values: [violationId],
  });
  return rows[0] ? toViolation(rows[0]) : null;
}

/** Newest recorded first; new reports appear ahead of the first page, never inside a walk. */
export async function listViolations(
  pool: Pick<Pool, 'query'>,
  filters: ViolationFilters = {},
  cursor?: string | null,
  limit?: number,
): Promise<Page<ViolationReadModel>> {
  const before = decodeListCursor('violations', cursor);
  const size = pageLimit(limit);
  const { rows } = await pool.query<ViolationRow>(
    filteredQuery(
      'ceasefire_violations',
      [
        ['agreement_id = $', filters.agreementId],
        ['alleged_party_id = $', filters.partyId],
        ['category = $', filters.category],
        ['verification = $', filters.verification],
        ['occurred_at >= $::timestamptz', filters.from],
        ['occurred_at < $::timestamptz', filters.to],
        ['seq < $::bigint', before],
      ],
      (where, param) =>
        `${SELECT_VIOLATIONS} WHERE ${where} ORDER BY p.seq DESC LIMIT ${param(size + 1)}`,
    ),
  );
  return toPage('violations', rows, size, toViolation);
}

export interface ViolationStatsItem {
  bucketStart: string;
  partyId: string;
  reports: number;
  corroborated: number;
  confirmed: number;
  killed: number;
  injured: number;
}

export interface ViolationStatsQuery {
  bucket?: 'day' | 'week';
  /** Reports that occurred at or after this time (as GET /v1/violations). */
  from?: Date | string;
  /** Reports that occurred before this time (as GET /v1/violations). */
  to?: Date | string;
  partyId?: string;
}

// `from` and `to` as UTC days: the first whole day at or after `from`, and the day `to` falls in.
const FROM_DAY = `((($4::timestamptz AT TIME ZONE 'UTC') - interval '1 microsecond')::date + 1)`;
const TO_DAY = `(($5::timestamptz AT TIME ZONE 'UTC')::date)`;
const COUNTED = `verification NOT IN ('retracted', 'discounted')`;
/**
 * The reports of a part of a day, as `statsContribution` counts them into the daily table; the
 * caller adds the range on occurred_at. Two such ranges at most: before the first whole day and
 * after the last (the second starts no earlier than the first ends: both in one day, the first
 * has it all).
 */
const PARTIAL_DAY = `SELECT (occurred_at AT TIME ZONE 'UTC')::date, alleged_party_id,
                (${COUNTED})::int,
                (${COUNTED} AND verification IN ('corroborated', 'confirmed'))::int,
                (verification = 'confirmed')::int,
                CASE WHEN ${COUNTED} THEN killed ELSE 0 END,
                CASE WHEN ${COUNTED} THEN injured ELSE 0 END
           FROM proj_violations
          WHERE agreement_id = $1 AND ($3::text IS NULL OR alleged_party_id = $3)`;

/**
 * Per bucket (UTC day, or ISO week from Monday) and alleged party, oldest first, over the reports
 * that occurred in [from, to), exactly as GET /v1/violations filters them. Whole UTC days in the
 * range come from the daily counts; the part of a day before the first whole one and after the
 * last (only when `from` or `to` is not at midnight) is counted from the reports themselves, by the
 * rule of `statsContribution`, through the (agreement_id, occurred_at) index. With both at
 * midnight or absent, those two ranges are empty and the answer is the daily counts alone.
 */
export async function violationStats(
  pool: Pick<Pool, 'query'>,
  agreementId: string,
  query: ViolationStatsQuery = {},
): Promise<{ items: ViolationStatsItem[] }> {
  const bucket = query.bucket === 'week' ? 'week' : 'day';
  const { rows } = await pool.query<{
    bucket_start: string;
    party_id: string;
    reports: string;
    corroborated: string;
    confirmed: string;
    killed: string;
    injured: string;
  }>(
    `SELECT to_char(date_trunc($2, day::timestamp), 'YYYY-MM-DD"T"00:00:00.000"Z"') AS bucket_start,
            party_id, sum(reports)::text AS reports, sum(corroborated)::text AS corroborated,
            sum(confirmed)::text AS confirmed, sum(killed)::text AS killed,
            sum(injured)::text AS injured
       FROM (
         SELECT day, party_id, reports, corroborated, confirmed, killed, injured
           FROM proj_violation_stats_daily
          WHERE agreement_id = $1 AND ($3::text IS NULL OR party_id = $3)
            AND ($4::timestamptz IS NULL OR day >= ${FROM_DAY})
            AND ($5::timestamptz IS NULL OR day < ${TO_DAY})
         UNION ALL
         ${PARTIAL_DAY}
            AND $4::timestamptz IS NOT NULL AND occurred_at >= $4::timestamptz
            AND occurred_at < least(${FROM_DAY}::timestamp AT TIME ZONE 'UTC',
                                    coalesce($5::timestamptz, 'infinity'))
         UNION ALL
         ${PARTIAL_DAY}
            AND $5::timestamptz IS NOT NULL AND occurred_at < $5::timestamptz
            -- greatest() passes over the null first day of an absent from.
            AND occurred_at >= greatest(${TO_DAY}::timestamp AT TIME ZONE 'UTC',
                                        ${FROM_DAY}::timestamp AT TIME ZONE 'UTC')
       ) counts
      GROUP BY 1, party_id
     HAVING sum(reports) > 0
      ORDER BY 1, party_id`,
    [agreementId, bucket, query.partyId ?? null, query.from ?? null, query.to ?? null],
  );
  return {
    items: rows.map((r) => ({
      bucketStart: r.bucket_start,
      partyId: r.party_id,
      reports: Number(r.reports),
      corroborated: Number(r.corroborated),
      confirmed: Number(r.confirmed),
      killed: Number(r.killed),
      injured: Number(r.injured),
    })),
  };
}
