// What GET /v1/agreements/:id/live reads: how far the projections behind its answers have come,
// which of an agreement's events lie in a stretch of the feed, and the narrow projection rows the
// stream compares from one look to the next.
import type { ObligationStatus, VerificationLevel, ViolationRecord } from '@app/domain';
import { verificationNoteOf } from '@app/domain';
import { earliestPosition, FEED_START, type FeedPosition } from '@app/event-store';
import { inTransaction } from '@app/shared/database/transaction';
import type { Pool } from 'pg';
import { agreementsProjection } from '../agreements/agreements.projection';
import { casualtyTalliesProjection } from '../casualty-tallies/casualty-tallies.projection';
import { obligationsProjection } from '../obligations/obligations.projection';
import { violationsProjection } from '../violations/violations.projection';

type Db = Pick<Pool, 'query'>;

/** The projections a live stream's messages are read from (those compliance reads too). */
export const LIVE_PROJECTIONS: readonly string[] = [
  agreementsProjection.name,
  obligationsProjection.name,
  violationsProjection.name,
  casualtyTalliesProjection.name,
];

/** Where each of these projections stands; one without a checkpoint yet has passed nothing. */
async function checkpoints(db: Db, names: readonly string[]): Promise<Map<string, FeedPosition>> {
  const { rows } = await db.query<{
    name: string;
    transaction_id: string;
    global_position: string;
  }>(
    `SELECT name, transaction_id::text, global_position::text FROM projection_checkpoints
      WHERE name = ANY ($1::text[])`,
    [names],
  );
  const found = new Map(
    rows.map((r) => [
      r.name,
      { transactionId: BigInt(r.transaction_id), globalPosition: BigInt(r.global_position) },
    ]),
  );
  return new Map(names.map((name) => [name, found.get(name) ?? FEED_START]));
}

/** The feed position every live projection has passed: their rows reflect every event up to it. */
export async function liveProjectionsHead(db: Db): Promise<FeedPosition> {
  const positions = [...(await checkpoints(db, LIVE_PROJECTIONS)).values()];
  return earliestPosition(positions);
}

export interface AgreementEventRef {
  position: FeedPosition;
  agreementId: string;
  type: string;
  /** Set for the events of a violation's stream. */
  violationId: string | null;
}

/**
 * The events of these agreements after `after` up to `upTo` (inclusive), in feed order, at most
 * `limit`. `upTo` must be a position the projections have passed, so everything before it has
 * committed and the stretch can no longer change.
 */
export async function agreementEventsBetween(
  db: Db,
  agreementIds: readonly string[],
  after: FeedPosition,
  upTo: FeedPosition,
  limit: number,
): Promise<AgreementEventRef[]> {
  const { rows } = await db.query<{
    transaction_id: string;
    global_position: string;
    agreement_id: string;
    event_type: string;
    violation_id: string | null;
  }>(
    `SELECT transaction_id::text, global_position::text, data->>'agreementId' AS agreement_id,
            event_type, CASE WHEN stream_type = 'violation' THEN data->>'violationId' END AS violation_id
       FROM events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
        AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)
        AND data->>'agreementId' = ANY ($5::text[])
      ORDER BY transaction_id, global_position
      LIMIT $6`,
    [
      after.transactionId.toString(),
      after.globalPosition.toString(),
      upTo.transactionId.toString(),
      upTo.globalPosition.toString(),
      agreementIds,
      limit,
    ],
  );
  return rows.map((r) => ({
    position: {
      transactionId: BigInt(r.transaction_id),
      globalPosition: BigInt(r.global_position),
    },
    agreementId: r.agreement_id,
    type: r.event_type,
    violationId: r.violation_id,
  }));
}

export interface ObligationStatusRow {
  id: string;
  agreementId: string;
  phaseKey: string;
  responsiblePartyId: string;
  title: string;
  status: ObligationStatus;
  statusSince: string;
  dueAt: string | null;
  /** When the status may next change with no event (a deadline, a rate window closing). */
  nextStatusCheckAt: string | null;
}

/** The stored status of every obligation of these agreements, in registration order. */
export async function obligationStatuses(
  db: Db,
  agreementIds: readonly string[],
): Promise<ObligationStatusRow[]> {
  const { rows } = await db.query<{
    obligation_id: string;
    agreement_id: string;
    phase_key: string;
    responsible_party_id: string;
    title: string;
    status: ObligationStatus;
    status_since: Date;
    effective_due_at: Date | null;
    next_status_check_at: Date | null;
  }>(
    `SELECT obligation_id, agreement_id, phase_key, responsible_party_id, record->>'title' AS title,
            status, status_since, effective_due_at, next_status_check_at
       FROM proj_obligations WHERE agreement_id = ANY ($1::text[]) ORDER BY seq`,
    [agreementIds],
  );
  return rows.map((r) => ({
    id: r.obligation_id,
    agreementId: r.agreement_id,
    phaseKey: r.phase_key,
    responsiblePartyId: r.responsible_party_id,
    title: r.title,
    status: r.status,
    statusSince: r.status_since.toISOString(),
    dueAt: r.effective_due_at?.toISOString() ?? null,
    nextStatusCheckAt: r.next_status_check_at?.toISOString() ?? null,
  }));
}

/** The current verification level of each of the agreement's violations. */
export async function violationLevelsOf(
  db: Db,
  agreementId: string,
): Promise<Map<string, VerificationLevel>> {
  const { rows } = await db.query<{ violation_id: string; verification: VerificationLevel }>(
    'SELECT violation_id, verification FROM proj_violations WHERE agreement_id = $1',
    [agreementId],
  );
  return new Map(rows.map((r) => [r.violation_id, r.verification]));
}

export interface ViolationLevelRow {
  id: string;
  agreementId: string;
  allegedPartyId: string;
  verification: VerificationLevel;
  verificationNote: string | null;
  updatedAt: string;
  streamVersion: number;
}

/** These violations' levels with what explains them (missing ids are left out). */
export async function violationLevels(
  db: Db,
  violationIds: readonly string[],
): Promise<ViolationLevelRow[]> {
  const { rows } = await db.query<{
    violation_id: string;
    agreement_id: string;
    alleged_party_id: string;
    verification: VerificationLevel;
    verifications: ViolationRecord['verifications'];
    updated_at: string;
    stream_version: number;
  }>(
    `SELECT violation_id, agreement_id, alleged_party_id, verification,
            record->'verifications' AS verifications, record->>'updatedAt' AS updated_at,
            stream_version
       FROM proj_violations WHERE violation_id = ANY ($1::text[])`,
    [violationIds],
  );
  return rows.map((r) => ({
    id: r.violation_id,
    agreementId: r.agreement_id,
    allegedPartyId: r.alleged_party_id,
    verification: r.verification,
    verificationNote: verificationNoteOf({ verifications: r.verifications }),
    updatedAt: r.updated_at,
    streamVersion: r.stream_version,
  }));
}

export interface LiveBaseline {
  obligations: ObligationStatusRow[];
  levels: Map<string, VerificationLevel>;
  /** The positions the obligations and the violations projections had reached: what the rows reflect. */
  obligationsAt: FeedPosition;
  violationsAt: FeedPosition;
}

/**
 * An agreement's obligation statuses and violation levels with the feed positions they reflect,
 * read in one snapshot (a projection moves its rows and its checkpoint in one transaction).
 */
export async function liveBaseline(pool: Pool, agreementId: string): Promise<LiveBaseline> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, async () => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const at = await checkpoints(client, [obligationsProjection.name, violationsProjection.name]);
      return {
        obligations: await obligationStatuses(client, [agreementId]),
        levels: await violationLevelsOf(client, agreementId),
        obligationsAt: at.get(obligationsProjection.name) ?? FEED_START,
        violationsAt: at.get(violationsProjection.name) ?? FEED_START,
      };
    });
  } finally {
    client.release();
  }
}
