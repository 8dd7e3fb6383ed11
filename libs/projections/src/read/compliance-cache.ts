// Live compliance answers kept in memory, per agreement. Dashboards poll compliance far more often
// than the projections change, and computing an answer costs two statements and the figures.
// Chosen: an answer is served again only after checking, with a statement sent after the request
// arrived, that the projections it was computed from have not changed since (their stamp, see
// PROJECTION_STAMP_SQL), and only until the time it stays true (a deadline, a status check or a
// tally time). So a kept answer is the answer the projections would give: nothing is served that
// a change committed before the request would have altered. The stamp check is one small
// statement shared by every request of the same turn of the event loop, whatever their agreement.
// Rejected: invalidating on LISTEN/NOTIFY (a request could overtake the notification of a change
// that had already committed, and a lost connection would leave answers stale), and a time-to-live
// (answers older than the projections by up to that time).
import type { Pool } from 'pg';
import { PROJECTION_STAMP_SQL, readCompliance, type ComplianceReadModel } from './compliance.read';
import { SharedRead } from './shared-read';

export type ComplianceLookup = 'hit' | 'miss';

export interface ComplianceCacheOptions {
  /** How many agreements' answers to keep (least recently used go first); 0 keeps none. */
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
    const { answer, keep } = await readCompliance(this.pool, agreementId, at);
    this.options.onLookup?.('miss');
    if (answer !== null && keep !== null && this.options.entries > 0) {
      this.entries.delete(agreementId);
      this.entries.set(agreementId, {
        answer: deepFreeze(answer),
        stamp: keep.stamp,
        from: t,
        until: keep.validUntil,
      });
      if (this.entries.size > this.options.entries) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
    } else if (entry !== undefined && this.entries.get(agreementId) === entry) {
      this.entries.delete(agreementId);
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
