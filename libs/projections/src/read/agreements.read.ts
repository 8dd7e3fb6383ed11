// Agreement read model: GET /v1/agreements and /v1/agreements/:id.
import type { AgreementPhase, Party, Source } from '@app/domain';
import type { Pool } from 'pg';
import type { Page } from './cursor';
import { decodeListCursor, isoOrNull, pageLimit, toPage } from './cursor';
import { filteredQuery } from './filtered-query';

export interface AgreementReadModel {
  id: string;
  title: string;
  effectiveAt: string;
  signedAt: string | null;
  parties: Party[];
  phases: AgreementPhase[];
  sources: Source[];
  obligationCount: number;
  violationCount: number;
  registeredAt: string;
  updatedAt: string;
  streamVersion: number;
}

interface AgreementRow {
  seq: string;
  agreement_id: string;
  title: string;
  effective_at: Date;
  signed_at: Date | null;
  parties: Party[];
  phases: AgreementPhase[];
  sources: Source[];
  registered_at: Date;
  updated_at: Date;
  stream_version: number;
  obligation_count: string;
  violation_count: string;
}

// Counts and the latest change come from the obligations (a few dozen an agreement, indexed by
// agreement) and from the violation totals the violations projection keeps (thousands of reports
// an agreement are not counted on each read).
const SELECT_AGREEMENTS = `
  SELECT a.seq::text, a.agreement_id, a.title, a.effective_at, a.signed_at, a.parties, a.phases,
         a.sources, a.registered_at, a.stream_version,
         o.n AS obligation_count, coalesce(v.reports, 0) AS violation_count,
         GREATEST(a.updated_at, o.updated_at, v.updated_at) AS updated_at
    FROM proj_agreements a
    CROSS JOIN LATERAL (SELECT count(*) AS n, max(updated_at) AS updated_at
                          FROM proj_obligations WHERE agreement_id = a.agreement_id) o
    LEFT JOIN proj_agreement_violation_totals v ON v.agreement_id = a.agreement_id`;

function toAgreement(r: AgreementRow): AgreementReadModel {
  return {
    id: r.agreement_id,
    title: r.title,
    effectiveAt: r.effective_at.toISOString(),
    signedAt: isoOrNull(r.signed_at),
    parties: r.parties,
    phases: r.phases,
    sources: r.sources,
    obligationCount: Number(r.obligation_count),
    violationCount: Number(r.violation_count),
    registeredAt: r.registered_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    streamVersion: r.stream_version,
  };
}

export async function getAgreement(
  pool: Pick<Pool, 'query'>,
  agreementId: string,
): Promise<AgreementReadModel | null> {
  const { rows } = await pool.query<AgreementRow>({
    name: 'ceasefire_agreement',
    text: `${SELECT_AGREEMENTS} WHERE a.agreement_id = $1`,
    values: [agreementId],
  });
  return rows[0] ? toAgreement(rows[0]) : null;
}

/** In registration order. */
export async function listAgreements(
  pool: Pick<Pool, 'query'>,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<Page<AgreementReadModel>> {
  const after = decodeListCursor('agreements', options.cursor);
  const limit = pageLimit(options.limit);
  const { rows } = await pool.query<AgreementRow>(
    filteredQuery(
      'ceasefire_agreements',
      [['a.seq > $::bigint', after]],
      (where, param) =>
        `${SELECT_AGREEMENTS} WHERE ${where} ORDER BY a.seq LIMIT ${param(limit + 1)}`,
    ),
  );
  return toPage('agreements', rows, limit, toAgreement);
}
