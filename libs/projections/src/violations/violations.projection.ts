// proj_violations (folded record, verification level, current casualties), and four count tables
// kept in step by taking each report's old contribution out and putting its new one in:
// proj_violation_stats_daily, proj_obligation_violation_counts, proj_party_violation_counts and
// proj_agreement_violation_totals.
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
import { foldBatch, readStoredStates } from '../fold';
import type { Projection } from '../projection';
import { asDomainEvents } from '../projection';

const VIOLATION_EVENT_TYPES = Object.keys(VIOLATION_EVENT_SCHEMA_VERSIONS) as ViolationEventType[];

/** A table of counts kept by deltas: its key columns, its summed columns and their SQL types. */
interface CountTable {
  name: string;
  keys: Readonly<Record<string, string>>;
  sums: Readonly<Record<string, string>>;
  /**
   * A timestamptz column holding the latest time contributed, never taken out (a report's
   * updatedAt only moves forward).
   */
  latest?: string;
}

type CountRow = Record<string, string | number>;

const STATS_DAILY: CountTable = {
  name: 'proj_violation_stats_daily',
  keys: { agreement_id: 'text', day: 'date', party_id: 'text' },
  sums: {
    reports: 'integer',
    corroborated: 'integer',
    confirmed: 'integer',
    killed: 'bigint',
    injured: 'bigint',
  },
};

const OBLIGATION_COUNTS: CountTable = {
  name: 'proj_obligation_violation_counts',
  keys: { obligation_id: 'text', verification: 'text' },
  sums: { reports: 'integer' },
};

/** An agreement's reports, whatever their level, and when one last changed (the agreement read). */
const AGREEMENT_TOTALS: CountTable = {
  name: 'proj_agreement_violation_totals',
  keys: { agreement_id: 'text' },
  sums: { reports: 'integer' },
  latest: 'updated_at',
};

const PARTY_COUNTS: CountTable = {
  name: 'proj_party_violation_counts',
  keys: { agreement_id: 'text', party_id: 'text', verification: 'text' },
  sums: { reports: 'integer', killed: 'bigint', injured: 'bigint' },
};

/** What one report adds to its day's stats (API.md "Violation stats"). */
export function statsContribution(
  violation: Pick<ViolationRecord, 'agreementId' | 'occurredAt' | 'allegedPartyId' | 'casualties'>,
  level: VerificationLevel,
): CountRow {
  const counted = level !== 'retracted' && level !== 'discounted';
  return {
    agreement_id: violation.agreementId,
    day: violation.occurredAt.slice(0, 10),
    party_id: violation.allegedPartyId,
    reports: counted ? 1 : 0,
    corroborated: counted && (level === 'corroborated' || level === 'confirmed') ? 1 : 0,
    confirmed: counted && level === 'confirmed' ? 1 : 0,
    killed: counted ? violation.casualties.killed : 0,
    injured: counted ? violation.casualties.injured : 0,
  };
}

/**
 * What one report adds to the counts of the obligations it names: one at its level for each
 * (API.md "Verification level": the obligation read model counts them by level, every level).
 */
export function obligationCountContributions(
  violation: ViolationRecord,
  level: VerificationLevel,
): CountRow[] {
  return [...new Set(violation.relatedObligationIds)].map((obligationId) => ({
    obligation_id: obligationId,
    verification: level,
    reports: 1,
  }));
}

/**
 * What one report adds to its alleged party's figures in the compliance answer: one report at its
 * level, with its casualties (the answer sums those of the levels that count).
 */
export function partyCountContribution(
  violation: ViolationRecord,
  level: VerificationLevel,
): CountRow {
  return {
    agreement_id: violation.agreementId,
    party_id: violation.allegedPartyId,
    verification: level,
    reports: 1,
    killed: violation.casualties.killed,
    injured: violation.casualties.injured,
  };
}

/** What one report adds to its agreement's totals. */
export function agreementTotalContribution(violation: ViolationRecord): CountRow {
  return { agreement_id: violation.agreementId, reports: 1, updated_at: violation.updatedAt };
}

/** Deltas for one count table, summed per key over a batch (see applyCountDeltas). */
class CountDeltas {
  private readonly deltas = new Map<string, CountRow>();
  readonly keys: string[];
  readonly sums: string[];

  constructor(readonly table: CountTable) {
    this.keys = Object.keys(table.keys);
    this.sums = Object.keys(table.sums);
  }

  add(row: CountRow, sign: 1 | -1): void {
    const key = JSON.stringify(this.keys.map((k) => row[k]));
    const { latest } = this.table;
    let delta = this.deltas.get(key);
    if (!delta) {
      delta = { ...row };
      for (const column of this.sums) delta[column] = 0;
      if (latest) delete delta[latest];
      this.deltas.set(key, delta);
    }
    for (const column of this.sums) {
      delta[column] = (delta[column] as number) + sign * (row[column] as number);
    }
    if (latest && sign === 1) {
      const time = row[latest] as string;
      const kept = delta[latest] as string | undefined;
      if (kept === undefined || Date.parse(time) > Date.parse(kept)) delta[latest] = time;
    }
  }

  /** The deltas that change a row. */
  changed(): CountRow[] {
    const { latest } = this.table;
    return [...this.deltas.values()].filter(
      (d) => this.sums.some((c) => d[c] !== 0) || (latest !== undefined && d[latest] !== undefined),
    );
  }

  /** `r(column type, ...)` for jsonb_to_recordset, over `columns`. */
  recordType(columns: readonly string[]): string {
    const { keys, sums, latest } = this.table;
    const types: Record<string, string> = { ...keys, ...sums };
    if (latest) types[latest] = 'timestamptz';
    return `r(${columns.map((c) => `${c} ${types[c]}`).join(', ')})`;
  }

  /** An upsert of the changed deltas from the JSON in `param`, returning the keys left at zero. */
  upsert(param: string): string {
    const { name, latest } = this.table;
    const columns = [...this.keys, ...this.sums, ...(latest ? [latest] : [])];
    const updates = [
      ...this.sums.map((c) => `${c} = t.${c} + EXCLUDED.${c}`),
      ...(latest ? [`${latest} = GREATEST(t.${latest}, EXCLUDED.${latest})`] : []),
    ];
    return `INSERT INTO ${name} AS t (${columns.join(', ')})
       SELECT ${columns.map((c) => `r.${c}`).join(', ')}
         FROM jsonb_to_recordset(${param}::jsonb) AS ${this.recordType(columns)}
       ON CONFLICT (${this.keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}
       RETURNING t.reports, jsonb_build_object(${this.keys.map((k) => `'${k}', t.${k}`).join(', ')}) AS key`;
  }
}

/**
 * Applies every table's deltas in one statement (one upsert each, as data-modifying CTEs), then
 * deletes the rows it left at zero, if any: a key no counted report contributes to any more has
 * no row, as if never counted, so a table is the same whether built report by report or in one
 * batch. Two statements at most per batch, whatever the number of tables: a live batch of a few
 * events paid mostly for its statements.
 */
async function applyCountDeltas(client: PoolClient, tables: readonly CountDeltas[]): Promise<void> {
  const parts = tables
    .map((deltas) => ({ deltas, changed: deltas.changed() }))
    .filter((p) => p.changed.length > 0);
  if (parts.length === 0) return;
  const { rows } = await client.query<{ part: number; key: CountRow }>(
    `WITH ${parts.map((p, i) => `c${i} AS (${p.deltas.upsert(`$${i + 1}`)})`).join(',\n')}
     ${parts.map((_, i) => `SELECT ${i} AS part, key FROM c${i} WHERE reports = 0`).join('\n UNION ALL ')}`,
    parts.map((p) => JSON.stringify(p.changed)),
  );
  for (const [i, { deltas }] of parts.entries()) {
    const zero = rows.filter((r) => r.part === i).map((r) => r.key);
    if (zero.length === 0) continue;
    await client.query(
      `DELETE FROM ${deltas.table.name} AS t
        USING jsonb_to_recordset($1::jsonb) AS ${deltas.recordType(deltas.keys)}
        WHERE ${deltas.keys.map((k) => `t.${k} = r.${k}`).join(' AND ')} AND t.reports = 0`,
      [JSON.stringify(zero)],
    );
  }
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
  // 2: proj_obligation_violation_counts. 3: proj_party_violation_counts and
  // proj_agreement_violation_totals. 4: a discount outranks a confirmation whatever their order
  // (API.md "Verification level"), so stored levels and every count by level are recomputed.
  version: 4,
  tables: [
    'proj_violations',
    'proj_violation_stats_daily',
    'proj_obligation_violation_counts',
    'proj_party_violation_counts',
    'proj_agreement_violation_totals',
  ],
  handledEventTypes: VIOLATION_EVENT_TYPES,
  async apply(events, client: PoolClient) {
    const projected = asDomainEvents(events);
    const ids = [...new Set(projected.map((e) => (e.event as ViolationEvent).data.violationId))];
    const stored = await readStoredStates<ViolationState>(
      client,
      { name: 'proj_violations', idColumn: 'violation_id' },
      ids,
      true,
    );
    const folded = foldBatch<ViolationState, ViolationEvent>(
      projected,
      (e) => e.data.violationId,
      stored,
      initialViolationState,
      evolveViolation,
    );
    const writes: ViolationRow[] = [];
    const stats = new CountDeltas(STATS_DAILY);
    const obligationCounts = new CountDeltas(OBLIGATION_COUNTS);
    const partyCounts = new CountDeltas(PARTY_COUNTS);
    const agreementTotals = new CountDeltas(AGREEMENT_TOTALS);
    /** Takes a report's contribution to every count table out (-1) or puts it in (1). */
    const count = (violation: ViolationRecord, sign: 1 | -1) => {
      const level = computeVerificationLevel(violation);
      stats.add(statsContribution(violation, level), sign);
      for (const c of obligationCountContributions(violation, level)) obligationCounts.add(c, sign);
      partyCounts.add(partyCountContribution(violation, level), sign);
      agreementTotals.add(agreementTotalContribution(violation), sign);
      return level;
    };
    for (const [id, f] of folded) {
      if (!f.changed || f.state.stage !== 'reported') continue;
      const v = f.state;
      const before = stored.get(id)?.state;
      if (before && before.stage === 'reported') count(before, -1);
      const level = count(v, 1);
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
    await applyCountDeltas(client, [stats, obligationCounts, partyCounts, agreementTotals]);
  },
};
