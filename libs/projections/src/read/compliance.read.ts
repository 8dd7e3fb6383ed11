// GET /v1/agreements/:id/compliance from the projections. Chosen: computed at read time from
// proj_obligations (statuses as stored, or recomputed in memory from the stored records with the
// same pure rule when `at` lies outside the stored status's validity), proj_party_violation_counts
// (kept by the violations projection) and proj_casualty_tallies. Every query is indexed by
// agreement, and the two that every answer runs are prepared once per connection. Each also
// reads the projections' stamp, so that an answer can say which projection state it was computed
// from and until when it stays true (`readCompliance`, which the compliance cache keeps).
import type {
  AgreementPhase,
  AgreementState,
  ObligationRecord,
  ObligationStatus,
  Party,
  Source,
  VerificationLevel,
} from '@app/domain';
import {
  agreementAnchors,
  computeAgreementObligationStatuses,
  OBLIGATION_STATUSES,
  isRateObligation,
} from '@app/domain';
import type { Pool } from 'pg';
import { isoTimestamp } from './cursor';

export type ObligationStatusCounts = { total: number } & Record<ObligationStatus, number>;

export interface TallyReadModel {
  /** A Source object, as every read model returns them (API.md "Sources"). */
  source: Source;
  asOf: string;
  killed: number;
  injured: number;
}

export interface PartyCompliance {
  partyId: string;
  obligations: ObligationStatusCounts;
  complianceRate: number | null;
  onTimeRate: number | null;
  rateObligations: Array<{ obligationId: string; windowComplianceRate: number | null }>;
  violations: Record<VerificationLevel, number>;
  casualties: { killed: number; injured: number };
  latestTallies: TallyReadModel[];
}

export interface PhaseCompliance {
  key: string;
  startedAt: string | null;
  obligations: ObligationStatusCounts;
  progress: number | null;
}

export interface ComplianceReadModel {
  agreementId: string;
  asOf: string;
  generatedFrom: 'projection' | 'replay';
  lastPosition: number;
  parties: PartyCompliance[];
  tallies: TallyReadModel[];
  phases: PhaseCompliance[];
}

/** What `readCompliance` found: the answer, and whether and until when it may be kept. */
export interface ComplianceReading {
  answer: ComplianceReadModel | null;
  /**
   * Set when the answer may be kept: it was computed from one projection state, named by this
   * stamp (`PROJECTION_STAMP_SQL`), and stays the answer at any time from its `at` until
   * `validUntil` (ms; exclusive) as long as the stamp is unchanged.
   */
  keep: { stamp: string; validUntil: number } | null;
}

/** The projections the compliance answer reads (and the only ones an as-of replay of it folds). */
export const COMPLIANCE_PROJECTIONS = [
  'agreements',
  'obligations',
  'violations',
  'casualty-tallies',
] as const;
const COMPLIANCE_PROJECTIONS_SQL = `'{${COMPLIANCE_PROJECTIONS.join(',')}}'::text[]`;

/**
 * Names the state of the projections the compliance answer reads: each one's checkpoint row
 * version (`xmin`, the transaction that last wrote it). Every catch-up batch and every rebuild
 * swap rewrites its checkpoint row in the transaction that changes the projection's tables, so an
 * unchanged stamp means unchanged tables. The obligation status sweep writes no checkpoint: it
 * changes a status only once its `next_status_check_at` has passed, which bounds `validUntil`.
 */
export const PROJECTION_STAMP_SQL = `SELECT string_agg(name || ':' || xmin::text, ',' ORDER BY name) AS stamp
  FROM projection_checkpoints
 WHERE name = ANY (${COMPLIANCE_PROJECTIONS_SQL})`;

interface ObligationFacts {
  id: string;
  partyId: string;
  phaseKey: string;
  rate: boolean;
  status: ObligationStatus;
  effectiveDueAt: number | null;
  windowComplianceRate: number | null;
}

export function emptyStatusCounts(): ObligationStatusCounts {
  return {
    total: 0,
    ...(Object.fromEntries(OBLIGATION_STATUSES.map((s) => [s, 0])) as Record<
      ObligationStatus,
      number
    >),
  };
}

const fulfilled = (s: ObligationStatus) => s === 'fulfilled' || s === 'fulfilled_late';

interface ObligationFactsRow {
  obligation_id: string;
  responsible_party_id: string;
  phase_key: string;
  is_rate: boolean;
  status: ObligationStatus;
  effective_due_at: Date | null;
  window_compliance_rate: number | null;
  status_computed_at: Date;
  next_status_check_at: Date | null;
  stamp: string | null;
}

interface ObligationFactsReading {
  facts: ObligationFacts[];
  /** Set when the stored statuses held at `at`: the stamp they were read under, and until when. */
  keep: { stamp: string | null; validUntil: number } | null;
}

/**
 * Obligations' statuses at `at`: the stored ones when still valid then, else recomputed from the
 * stored records (read only then: a rate obligation's record carries its whole delivery log).
 */
async function obligationFacts(
  pool: Pick<Pool, 'query'>,
  agreementId: string,
  at: Date,
): Promise<ObligationFactsReading> {
  const { rows } = await pool.query<ObligationFactsRow>({
    name: 'ceasefire_compliance_obligations',
    text: `SELECT obligation_id, responsible_party_id, phase_key, is_rate, status, effective_due_at,
                  window_compliance_rate, status_computed_at, next_status_check_at,
                  (${PROJECTION_STAMP_SQL}) AS stamp
             FROM proj_obligations WHERE agreement_id = $1 ORDER BY seq`,
    values: [agreementId],
  });
  const t = at.getTime();
  const storedValid = rows.every(
    (r) =>
      r.status_computed_at.getTime() <= t &&
      (r.next_status_check_at === null || r.next_status_check_at.getTime() > t),
  );
  if (storedValid) {
    // The answer holds until a status may change or a due time passes (which moves an
    // obligation into the compliance rate's denominator).
    let validUntil = Infinity;
    for (const r of rows) {
      for (const next of [r.next_status_check_at, r.effective_due_at]) {
        if (next !== null && next.getTime() > t) validUntil = Math.min(validUntil, next.getTime());
      }
    }
    return {
      facts: rows.map((r) => ({
        id: r.obligation_id,
        partyId: r.responsible_party_id,
        phaseKey: r.phase_key,
        rate: r.is_rate,
        status: r.status,
        effectiveDueAt: r.effective_due_at?.getTime() ?? null,
        windowComplianceRate: r.window_compliance_rate,
      })),
      keep: { stamp: rows[0]?.stamp ?? null, validUntil },
    };
  }
  const { rows: stored } = await pool.query<{
    records: ObligationRecord[];
    agreement: AgreementState | null;
  }>(
    `SELECT coalesce((SELECT jsonb_agg(record ORDER BY seq) FROM proj_obligations
                       WHERE agreement_id = $1), '[]'::jsonb) AS records,
            (SELECT agreement FROM proj_obligation_anchors WHERE agreement_id = $1) AS agreement`,
    [agreementId],
  );
  const { records } = stored[0];
  const agreement = stored[0].agreement ?? { stage: 'initial' as const };
  const results = computeAgreementObligationStatuses(records, t, agreementAnchors(agreement));
  const facts = records.map((o) => {
    const result = results.get(o.id);
    if (!result) throw new Error(`no status computed for obligation ${o.id}`);
    return {
      id: o.id,
      partyId: o.responsiblePartyId,
      phaseKey: o.phaseKey,
      rate: isRateObligation(o),
      status: result.status,
      effectiveDueAt: result.effectiveDueAt === null ? null : Date.parse(result.effectiveDueAt),
      windowComplianceRate: result.windowComplianceRate,
    };
  });
  // Recomputed in memory: the sweep is about to store these statuses, so nothing is kept.
  return { facts, keep: null };
}

interface ComplianceSummaryRow {
  parties: Party[];
  phases: AgreementPhase[];
  /** Reports by alleged party and verification level, with their casualties. */
  violations: Array<{
    party_id: string;
    verification: VerificationLevel;
    n: number;
    killed: number;
    injured: number;
  }>;
  /** The newest tally of each source up to `at`, per attributed party (null: the top-level list). */
  tallies: Array<{
    party_id: string | null;
    /** The source as the newest tally of that name recorded it. */
    source: Source;
    as_of: string;
    killed: number;
    injured: number;
  }>;
  /** The lowest position of the projections the answer reads. */
  position: string | null;
  /** The earliest tally time after `at` (a tally that becomes the newest then). */
  next_tally_at: Date | null;
  stamp: string | null;
}

const COMPLIANCE_SUMMARY_SQL = `SELECT a.parties, a.phases,
    (SELECT coalesce(jsonb_agg(v), '[]'::jsonb) FROM (
       SELECT party_id, verification, reports AS n, killed, injured
         FROM proj_party_violation_counts WHERE agreement_id = $1) v
    ) AS violations,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('party_id', t.party_id,
              'source', t.source,
              'as_of', ${isoTimestamp('t.as_of')},
              'killed', t.killed, 'injured', t.injured) ORDER BY t.party_id, t.source_name),
            '[]'::jsonb) FROM (
       SELECT DISTINCT ON (attributed_to_party_id, source_name)
              attributed_to_party_id AS party_id, source_name, source, as_of, killed, injured
         FROM proj_casualty_tallies WHERE agreement_id = $1 AND as_of <= $2
        ORDER BY attributed_to_party_id, source_name, as_of DESC, seq DESC) t
    ) AS tallies,
    (SELECT min(global_position)::text FROM projection_checkpoints
      WHERE name = ANY (${COMPLIANCE_PROJECTIONS_SQL})) AS position,
    (SELECT min(as_of) FROM proj_casualty_tallies WHERE agreement_id = $1 AND as_of > $2)
      AS next_tally_at,
    (${PROJECTION_STAMP_SQL}) AS stamp
  FROM proj_agreements a WHERE a.agreement_id = $1`;

export async function getCompliance(
  pool: Pick<Pool, 'query'>,
  agreementId: string,
  at: Date = new Date(),
): Promise<ComplianceReadModel | null> {
  return (await readCompliance(pool, agreementId, at)).answer;
}

/** The compliance answer at `at`, and whether and until when it may be kept (see the cache). */
export async function readCompliance(
  pool: Pick<Pool, 'query'>,
  agreementId: string,
  at: Date,
): Promise<ComplianceReading> {
  // Two statements in parallel: the obligations, and everything else (the agreement, violation
  // counts, newest tallies and the projections' position) as one row. Each round trip costs the
  // API a socket write and PostgreSQL a statement.
  const [{ facts: obligations, keep: obligationsKeep }, summary] = await Promise.all([
    obligationFacts(pool, agreementId, at),
    pool.query<ComplianceSummaryRow>({
      name: 'ceasefire_compliance_summary',
      text: COMPLIANCE_SUMMARY_SQL,
      values: [agreementId, at],
    }),
  ]);
  const agreement = summary.rows[0];
  if (!agreement) return { answer: null, keep: null };
  const { violations, tallies } = agreement;
  const t = at.getTime();
  const toTally = (r: (typeof tallies)[number]): TallyReadModel => ({
    source: r.source,
    asOf: r.as_of,
    killed: r.killed,
    injured: r.injured,
  });

  const parties = agreement.parties.map((party): PartyCompliance => {
    const own = obligations.filter((o) => o.partyId === party.id);
    const counts = emptyStatusCounts();
    for (const o of own) {
      counts.total += 1;
      counts[o.status] += 1;
    }
    // D: non-rate, non-waived obligations due by `at` or already fulfilled.
    const judged = own.filter(
      (o) =>
        !o.rate &&
        o.status !== 'waived' &&
        (fulfilled(o.status) || (o.effectiveDueAt !== null && o.effectiveDueAt <= t)),
    );
    const d = judged.length;
    const levelCounts = {
      reported: 0,
      corroborated: 0,
      confirmed: 0,
      contested: 0,
      discounted: 0,
      retracted: 0,
    } as Record<VerificationLevel, number>;
    const casualties = { killed: 0, injured: 0 };
    for (const v of violations.filter((r) => r.party_id === party.id)) {
      levelCounts[v.verification] = Number(v.n);
      if (v.verification !== 'discounted' && v.verification !== 'retracted') {
        casualties.killed += Number(v.killed);
        casualties.injured += Number(v.injured);
      }
    }
    return {
      partyId: party.id,
      obligations: counts,
      complianceRate: d === 0 ? null : judged.filter((o) => fulfilled(o.status)).length / d,
      onTimeRate: d === 0 ? null : judged.filter((o) => o.status === 'fulfilled').length / d,
      rateObligations: own
        .filter((o) => o.rate)
        .map((o) => ({ obligationId: o.id, windowComplianceRate: o.windowComplianceRate })),
      violations: levelCounts,
      casualties,
      latestTallies: tallies.filter((r) => r.party_id === party.id).map(toTally),
    };
  });

  const phases = agreement.phases.map((phase): PhaseCompliance => {
    const counts = emptyStatusCounts();
    for (const o of obligations.filter((x) => x.phaseKey === phase.key)) {
      counts.total += 1;
      counts[o.status] += 1;
    }
    const denominator = counts.total - counts.waived;
    return {
      key: phase.key,
      startedAt: phase.startedAt,
      obligations: counts,
      progress: denominator === 0 ? null : (counts.fulfilled + counts.fulfilled_late) / denominator,
    };
  });

  const answer: ComplianceReadModel = {
    agreementId,
    asOf: at.toISOString(),
    generatedFrom: 'projection',
    lastPosition: Number(agreement.position ?? 0),
    parties,
    tallies: tallies.filter((r) => r.party_id === null).map(toTally),
    phases,
  };
  // Kept only when both statements saw the same projection state (an agreement with no
  // obligations has no stamp from the first: its answers are not kept).
  const sameState =
    obligationsKeep !== null &&
    agreement.stamp !== null &&
    obligationsKeep.stamp === agreement.stamp;
  const keep = sameState
    ? {
        stamp: agreement.stamp as string,
        validUntil: Math.min(
          obligationsKeep.validUntil,
          agreement.next_tally_at?.getTime() ?? Infinity,
        ),
      }
    : null;
  return { answer, keep };
}
