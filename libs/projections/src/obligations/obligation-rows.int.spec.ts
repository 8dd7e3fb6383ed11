// recomputeAgreements works through agreements a round at a time (to bound memory in rebuilds):
// however many agreements a round takes, the rows come out as the projection wrote them, and a
// record given as an override counts only in its own agreement's round.
import { EventStore } from '@app/event-store';
import type { DomainEvent, ObligationRecord } from '@app/domain';
import {
  fulfilmentVerified,
  oct2025Registered,
  obligationRegistered,
  progressReported,
} from '@app/testing';
import type { PoolClient } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { PROJECTIONS } from '../projections';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendEvents, catchUpFully } from '../testing/projection-fixtures';
import { lockAgreementAnchors, ObligationOverride, recomputeAgreements } from './obligation-rows';

const NOW = new Date('2025-10-14T12:00:00.000Z');
const AGREEMENTS = 12;

/**
 * Agreements of six obligations each, due before and after NOW, some verified fulfilled; the sixth
 * is due two days after the fifth is fulfilled.
 */
function events(): DomainEvent[] {
  const all: DomainEvent[] = [];
  for (let a = 0; a < AGREEMENTS; a++) {
    const agreementId = `agreement-${a}`;
    const registered = oct2025Registered();
    all.push({ ...registered, data: { ...registered.data, agreementId } });
    for (let o = 0; o < 6; o++) {
      const obligationId = `a${a}-o${o}`;
      all.push(
        obligationRegistered({
          obligationId,
          agreementId,
          target: { quantity: 10, unit: 'units' },
          ...(o === 5
            ? { conditions: [`a${a}-o4`], dueWithin: { hours: 48, after: 'conditions_met' } }
            : { dueAt: `2025-10-1${4 + (o % 3)}T09:00:00.000Z` }),
        }),
      );
      const progress = progressReported(
        obligationId,
        1 + ((a + o) % 4),
        '2025-10-11T10:00:00.000Z',
      );
      all.push({ ...progress, data: { ...progress.data, agreementId } });
      if ((a + o) % 3 === 0) {
        const verified = fulfilmentVerified(obligationId, '2025-10-12T00:00:00.000Z');
        all.push({ ...verified, data: { ...verified.data, agreementId } });
      }
    }
  }
  return all;
}

const STATUS_COLUMNS = `obligation_id, status, effective_due_at, fulfilled_at, late, delivered,
  progress, windows, unmet_conditions, next_status_check_at, record, stream_version`;

describe('recomputeAgreements in rounds', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(4);
    await appendEvents(new EventStore(db.pool), events());
    await catchUpFully(new ProjectionRunner(db.pool, { now: () => NOW }), db.pool, PROJECTIONS);
  });
  afterAll(() => db.drop());

  const rows = async (client: Pick<PoolClient, 'query'>) =>
    (await client.query(`SELECT ${STATUS_COLUMNS} FROM proj_obligations ORDER BY obligation_id`))
      .rows;

  /**
   * Forgets every computed status, recomputes them all `perRound` agreements at a time (with the
   * overrides the caller picks from the stored records), and returns the rows; rolls back.
   */
  async function recomputed(
    perRound: number,
    overridden: (record: ObligationRecord) => boolean,
  ): Promise<unknown[]> {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const stored = await client.query<{ record: ObligationRecord; stream_version: number }>(
        'SELECT record, stream_version FROM proj_obligations',
      );
      const overrides = new Map<string, ObligationOverride>(
        stored.rows
          .filter((r) => overridden(r.record))
          .map((r) => [r.record.id, { record: r.record, streamVersion: r.stream_version }]),
      );
      await client.query(
        `UPDATE proj_obligations SET status = 'pending', effective_due_at = NULL,
            fulfilled_at = NULL, next_status_check_at = NULL, unmet_conditions = '{}'`,
      );
      const ids = Array.from({ length: AGREEMENTS }, (_, a) => `agreement-${a}`);
      const anchors = await lockAgreementAnchors(client, ids);
      await recomputeAgreements(client, anchors, NOW, overrides, {}, perRound);
      return await rows(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it('gives the rows the projection wrote, one agreement a round or all in one', async () => {
    const projected = await rows(db.pool);
    expect(projected).toHaveLength(AGREEMENTS * 6);
    const statuses = new Set(projected.map((r) => (r as { status: string }).status));
    expect([...statuses].sort()).toEqual(['blocked', 'fulfilled', 'in_progress', 'overdue']);
    expect(await recomputed(1, () => false)).toEqual(projected);
    expect(await recomputed(5, () => false)).toEqual(projected);
    expect(await recomputed(100, () => false)).toEqual(projected);
  });

  it("counts an overriding record in its own agreement's round only", async () => {
    const projected = await rows(db.pool);
    // The dependants alone: computed in another agreement's round, without their conditions,
    // they would come out unblocked.
    const dependants = (record: ObligationRecord) => record.conditions.length > 0;
    expect(await recomputed(1, dependants)).toEqual(projected);
    expect(await recomputed(100, dependants)).toEqual(projected);
  });
});
