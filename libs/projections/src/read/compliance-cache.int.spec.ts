// The compliance cache against real PostgreSQL: whatever happens to the projections (catch-up,
// a rebuild's swap, the status sweep) and whenever a deadline or a tally time passes, a cached
// answer equals a fresh read at the same time; repeats with nothing changed are hits.
import type { DomainEvent } from '@app/domain';
import { EventStore } from '@app/event-store';
import * as fx from '@app/testing';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { recomputeDueObligations } from '../obligations/obligation-status-sweep';
import { PROJECTIONS } from '../projections';
import { ProjectionRunner } from '../runner/projection-runner';
import { appendEvents, catchUpFully, gazaOctober2025 } from '../testing/projection-fixtures';
import { ComplianceCache, type ComplianceLookup } from './compliance-cache';
import { getCompliance } from './compliance.read';

const AGREEMENT = fx.OCT_2025.agreementId;
const OTHER = 'other-agreement';
const at = (iso: string) => new Date(iso);

/** The same agreement's first events (registration, phase, one obligation) under another id. */
function otherAgreement(): DomainEvent[] {
  return gazaOctober2025()
    .slice(0, 3)
    .map((e) => {
      const data = { ...(e.data as Record<string, unknown>), agreementId: OTHER };
      if ('obligationId' in data) data.obligationId = 'other-hostages';
      return { ...e, data } as DomainEvent;
    });
}

function tallyAt(tallyId: string, asOf: string, killed: number): DomainEvent {
  return {
    type: 'CasualtyTallyRecorded',
    data: {
      agreementId: AGREEMENT,
      tallyId,
      source: fx.unOcha,
      asOf,
      killed,
      injured: 0,
      attributedToPartyId: null,
      note: null,
      recordedAt: asOf,
    },
  };
}

describe('ComplianceCache', () => {
  let db: TestDatabase;
  let store: EventStore;
  let clock: Date;
  let runner: ProjectionRunner;
  let lookups: ComplianceLookup[];
  let cache: ComplianceCache;

  const catchUp = () => catchUpFully(runner, db.pool, PROJECTIONS);

  /** Reads through the cache and fresh at `t`: they must be equal. Returns the cached one. */
  async function read(t: Date, agreementId: string = AGREEMENT) {
    const cached = await cache.get(agreementId, t);
    expect(cached).toEqual(await getCompliance(db.pool, agreementId, t));
    return cached;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool);
    runner = new ProjectionRunner(db.pool, { now: () => clock });
  });
  afterAll(() => db.drop());

  beforeEach(() => {
    lookups = [];
    cache = new ComplianceCache(db.pool, { entries: 10, onLookup: (l) => lookups.push(l) });
  });

  it('serves a repeat from the cache, and a change the projections committed at once', async () => {
    clock = at('2025-10-12T13:00:00.000Z');
    const events = gazaOctober2025();
    const before = events.filter(
      (e) => Date.parse((e.data as { recordedAt?: string }).recordedAt ?? '2025-10-10') < +clock,
    );
    await appendEvents(store, before);
    await catchUp();

    const first = await read(clock);
    expect(lookups).toEqual(['miss']);
    const again = await read(at('2025-10-12T13:30:00.000Z'));
    expect(lookups).toEqual(['miss', 'hit']);
    // Stamped with the time asked, the rest as computed.
    expect(again?.asOf).toBe('2025-10-12T13:30:00.000Z');
    expect({ ...again, asOf: first?.asOf }).toEqual(first);

    // A violation confirmed: the catch-up commits, and the very next read sees it.
    await appendEvents(
      store,
      events.filter((e) => e.type === 'ViolationConfirmed'),
    );
    await catchUp();
    const after = await read(at('2025-10-12T13:40:00.000Z'));
    expect(lookups.at(-1)).toBe('miss');
    expect(after?.lastPosition).toBeGreaterThan(first?.lastPosition ?? Infinity);
    const israel = (a: typeof after) => a?.parties.find((p) => p.partyId === 'israel');
    expect(israel(after)?.violations.confirmed).toBe(israel(first)!.violations.confirmed + 1);
    await read(at('2025-10-12T13:50:00.000Z'));
    expect(lookups.at(-1)).toBe('hit');
  });

  it('stops serving an answer when a deadline passes, before and after the sweep', async () => {
    clock = at('2025-10-13T08:30:00.000Z');
    await appendEvents(
      store,
      gazaOctober2025().filter((e) => e.type === 'ProgressReported'),
    );
    await catchUp();
    await read(at('2025-10-13T08:40:00.000Z'));
    await read(at('2025-10-13T08:59:59.999Z'));
    expect(lookups).toEqual(['miss', 'hit']);

    // The remains were due at 09:00: a millisecond later they are overdue, with no new event.
    const overdue = await read(at('2025-10-13T09:00:00.001Z'));
    expect(lookups.at(-1)).toBe('miss');
    const hamas = overdue?.parties.find((p) => p.partyId === 'hamas');
    expect(hamas?.obligations.overdue).toBe(1);
    // Recomputed in memory (the sweep has not run): not kept.
    await read(at('2025-10-13T09:00:00.002Z'));
    expect(lookups.at(-1)).toBe('miss');

    expect(await recomputeDueObligations(db.pool, at('2025-10-13T09:00:00.001Z'))).toBe(1);
    await read(at('2025-10-13T09:00:00.003Z'));
    await read(at('2025-10-13T09:10:00.000Z'));
    expect(lookups.slice(-2)).toEqual(['miss', 'hit']);
  });

  it('stops serving an answer when a tally it left out becomes the newest', async () => {
    clock = at('2025-10-13T09:30:00.000Z');
    await appendEvents(store, [tallyAt('tally-later', '2025-10-13T10:00:00.000Z', 99)]);
    await catchUp();
    const early = await read(at('2025-10-13T09:40:00.000Z'));
    await read(at('2025-10-13T09:59:59.999Z'));
    expect(lookups.slice(-2)).toEqual(['miss', 'hit']);
    expect(early?.tallies.some((t) => t.killed === 99)).toBe(false);

    const late = await read(at('2025-10-13T10:00:00.000Z'));
    expect(lookups.at(-1)).toBe('miss');
    expect(late?.tallies.some((t) => t.killed === 99)).toBe(true);
  });

  it('stops serving an answer when a suspended obligation falls due (no status check then)', async () => {
    clock = at('2025-10-13T09:40:00.000Z');
    await appendEvents(store, [
      fx.obligationRegistered({
        obligationId: 'withdrawal',
        kind: 'withdrawal',
        title: 'Withdraw to the yellow line',
        responsiblePartyId: 'israel',
        beneficiaryPartyId: 'hamas',
        dueAt: '2025-10-13T10:30:00.000Z',
        registeredAt: '2025-10-13T09:30:00.000Z',
      }),
      fx.obligationSuspended('withdrawal', '2025-10-13T09:35:00.000Z'),
    ]);
    await catchUp();
    const israel = (a: Awaited<ReturnType<typeof read>>) =>
      a?.parties.find((p) => p.partyId === 'israel');
    // Suspended: not judged before its deadline, judged (and not fulfilled) from it on.
    expect(israel(await read(at('2025-10-13T10:00:00.000Z')))?.complianceRate).toBeNull();
    await read(at('2025-10-13T10:29:59.999Z'));
    expect(lookups.slice(-2)).toEqual(['miss', 'hit']);
    expect(israel(await read(at('2025-10-13T10:30:00.000Z')))?.complianceRate).toBe(0);
    expect(lookups.at(-1)).toBe('miss');
  });

  it('sees a rebuild swap that left the position where it was', async () => {
    clock = at('2025-10-13T11:00:00.000Z');
    await catchUp();
    const before = await read(clock);
    // What a swap does: new tables, the checkpoint rewritten at the same position.
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE proj_party_violation_counts SET reports = reports + 7
          WHERE ctid = (SELECT ctid FROM proj_party_violation_counts
                         WHERE agreement_id = $1 AND party_id = 'israel' LIMIT 1)`,
        [AGREEMENT],
      );
      await client.query(
        `UPDATE projection_checkpoints SET updated_at = now() WHERE name = 'violations'`,
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const after = await read(at('2025-10-13T11:10:00.000Z'));
    expect(lookups.at(-1)).toBe('miss');
    expect(after?.lastPosition).toBe(before?.lastPosition);
    const reports = (a: typeof after) =>
      Object.values(a?.parties.find((p) => p.partyId === 'israel')?.violations ?? {}).reduce(
        (sum, n) => sum + n,
        0,
      );
    expect(reports(after)).toBe(reports(before) + 7);
  });

  it('keeps at most `entries` agreements, the least recently used going first', async () => {
    clock = at('2025-10-13T11:20:00.000Z');
    await appendEvents(store, otherAgreement());
    await catchUp();
    cache = new ComplianceCache(db.pool, { entries: 1, onLookup: (l) => lookups.push(l) });
    const t = at('2025-10-13T11:30:00.000Z');
    await read(t);
    await read(t, OTHER);
    expect(cache.size).toBe(1);
    await read(t, OTHER);
    await read(t);
    expect(lookups).toEqual(['miss', 'miss', 'hit', 'miss']);

    // No answer (an unknown agreement) is never kept; 0 entries keep nothing.
    expect(await cache.get('no-such-agreement', t)).toBeNull();
    cache = new ComplianceCache(db.pool, { entries: 0, onLookup: (l) => lookups.push(l) });
    lookups = [];
    await read(t);
    await read(t);
    expect(lookups).toEqual(['miss', 'miss']);
    expect(cache.size).toBe(0);
  });

  it('shares kept answers read-only: a caller cannot change what the next one gets', async () => {
    const t = at('2025-10-13T11:40:00.000Z');
    await read(t);
    const hit = await read(t);
    expect(lookups).toEqual(['miss', 'hit']);
    expect(() => {
      (hit!.parties[0].obligations as { total: number }).total = -1;
    }).toThrow(TypeError);
    expect((await read(t))?.parties[0].obligations.total).not.toBe(-1);
  });

  it('gives the misses of one turn for one agreement one computation, judged at the latest time', async () => {
    // A change, so that nothing kept is still true.
    clock = at('2025-10-13T11:50:00.000Z');
    await appendEvents(store, [tallyAt('tally-shared', '2025-10-13T11:45:00.000Z', 5)]);
    await catchUp();
    const times = [3, 1, 4, 2].map((m) => at(`2025-10-13T11:5${m}:00.000Z`));
    const answers = await Promise.all([
      ...times.map((t) => cache.get(AGREEMENT, t)),
      cache.get(OTHER, times[0]),
    ]);
    expect(lookups).toEqual(['miss', 'shared', 'shared', 'shared', 'miss']);
    // One object for the agreement's four requests, as of the latest of their times.
    expect(new Set(answers.slice(0, 4)).size).toBe(1);
    expect(answers[0]?.asOf).toBe('2025-10-13T11:54:00.000Z');
    expect(answers[0]).toEqual(await getCompliance(db.pool, AGREEMENT, times[2]));
    expect(Object.isFrozen(answers[0])).toBe(true);
    expect(answers[4]).toEqual(await getCompliance(db.pool, OTHER, times[0]));
    // The shared answer is kept like any other.
    await read(at('2025-10-13T11:55:00.000Z'));
    expect(lookups.at(-1)).toBe('hit');
  });

  it('never gives a request a computation that started before it arrived', async () => {
    clock = at('2025-10-13T12:00:00.000Z');
    await appendEvents(store, [tallyAt('tally-before', '2025-10-13T11:58:00.000Z', 6)]);
    await catchUp();
    const first = cache.get(AGREEMENT, at('2025-10-13T12:01:00.000Z'));
    // The first request's computation starts at the end of this turn; then a change commits.
    await new Promise((resolve) => setImmediate(resolve));
    await appendEvents(store, [tallyAt('tally-after', '2025-10-13T11:59:00.000Z', 77)]);
    await catchUp();
    const second = await cache.get(AGREEMENT, at('2025-10-13T12:02:00.000Z'));
    await first;
    expect(lookups).toEqual(['miss', 'miss']);
    expect(second?.tallies.some((t) => t.killed === 77)).toBe(true);
    expect(second).toEqual(await getCompliance(db.pool, AGREEMENT, at('2025-10-13T12:02:00.000Z')));
  });
});
