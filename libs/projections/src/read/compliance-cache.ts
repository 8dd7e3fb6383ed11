// Live compliance answers kept in memory, per agreement. Dashboards poll compliance far more often
// than the projections change, and computing an answer costs two statements and the figures.
// Chosen: an answer is served again only after checking, with a statement sent after the request
// arrived, that the projections it was computed from have not changed since (their stamp, see
// PROJECTION_STAMP_SQL), and only until the time it stays true (a deadline, a status check or a
// tally time). So a kept answer is the answer the projections would give: nothing is served that
// a change committed before the request would have altered. The stamp check is one small
// statement shared by every request of the same turn of the event loop, whatever their agreement.
// Answers that must be computed (after a change, or the first time) are shared the same way: the
// requests of one turn for one agreement get one computation, started after they all arrived and
// judged at the latest of their times, so a hundred dashboards on one agreement cost one answer
// per change and turn instead of a hundred.
// Rejected: invalidating on LISTEN/NOTIFY (a request could overtake the notification of a change
// that had already committed, and a lost connection would leave answers stale), and a time-to-live
// (answers older than the projections by up to that time).
import type { Pool } from 'pg';
import {
  PROJECTION_STAMP_SQL,
  readCompliance,
  type ComplianceReading,
  type ComplianceReadModel,
} from './compliance.read';
import { SharedRead, SharedReads } from './shared-read';

/** hit: served a kept answer; miss: computed one; shared: given the computation of a miss of the same turn. */
export type ComplianceLookup = 'hit' | 'miss' | 'shared';

export interface ComplianceCacheOptions {
  /**
   * How many agreements' answers to keep (least recently used go first); 0 keeps none and shares
   * no computation: every read computes its own answer.
   */
  entries: number;
  /** Told of every live read: served from the cache or computed. */
  onLookup?: (result: ComplianceLookup) => void;
}

interface Entry {
  answer: ComplianceReadModel;
  stamp: string;
  /** The time the answer was computed at, and the time it stops being true (ms, exclusive). */
  from: number;
  until: number;
}

export class ComplianceCache {
  private readonly entries = new Map<string, Entry>();
  private readonly stamps: SharedRead<string | null>;
  /** The computations of this turn's misses, per agreement, judged at the latest time asked. */
  private readonly computations: SharedReads<string, number, ComplianceReadModel | null>;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    private readonly options: ComplianceCacheOptions,
  ) {
    this.stamps = new SharedRead(async () => {
      const { rows } = await pool.query<{ stamp: string | null }>({
        name: 'ceasefire_projection_stamp',
        text: PROJECTION_STAMP_SQL,
      });
      return rows[0]?.stamp ?? null;
    });
    this.computations = new SharedReads(
      async (agreementId, at) =>
        this.keep(agreementId, at, await readCompliance(pool, agreementId, new Date(at))),
      Math.max,
    );
  }

  /** How many answers are kept now. */
  get size(): number {
    return this.entries.size;
  }

  /** The agreement's compliance at `at` (the request's time), from the cache when still true. */
  async get(agreementId: string, at: Date): Promise<ComplianceReadModel | null> {
    const t = at.getTime();
    const entry = this.entries.get(agreementId);
    if (entry !== undefined && entry.from <= t && t < entry.until) {
      const stamp = await this.stamps.read();
      if (stamp === entry.stamp) {
        // Most recently used last: the first key is the one to evict.
        this.entries.delete(agreementId);
        this.entries.set(agreementId, entry);
        this.options.onLookup?.('hit');
        return { ...entry.answer, asOf: at.toISOString() };
      }
    }
    if (this.options.entries === 0) {
      this.options.onLookup?.('miss');
      return (await readCompliance(this.pool, agreementId, at)).answer;
    }
    this.options.onLookup?.(this.computations.isWaiting(agreementId) ? 'shared' : 'miss');
    return this.computations.read(agreementId, t);
  }

  /**
   * Keeps a computed answer when it may be kept (else forgets the agreement's kept one), and
   * freezes it either way: every request of its turn gets the same object.
   */
  private keep(agreementId: string, at: number, reading: ComplianceReading) {
    const { answer, keep } = reading;
    this.entries.delete(agreementId);
    if (answer === null) return null;
    deepFreeze(answer);
    if (keep !== null) {
      // An older computation that ends after a newer one may replace its answer: its stamp is
      // older, so the next request computes again instead of being served it.
      this.entries.set(agreementId, {
        answer,
        stamp: keep.stamp,
        from: at,
        until: keep.validUntil,
      });
      if (this.entries.size > this.options.entries) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
    }
    return answer;
  }
}

/** Kept answers are shared by every request: freezing makes a mutation throw instead. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
