// One read of the feed shared by the projections a rebuild builds together. Each batch is read
// and parsed once; each projection takes the batches in order at its own pace, so none waits for
// the others at every batch. The next batch is read while the current one is applied. A
// projection more than `lookahead` batches ahead of the slowest waits for it: at most
// lookahead + 1 batches are held at once, whatever the size of the feed. One batch ahead is as
// fast as two over a million events (39-40 s either way) and holds a batch less, which is most
// of a rebuilding process's heap.
import type { FeedPosition } from '@app/event-store';

export interface FeedBatch<E> {
  events: E[];
  /** Position of the batch's last event: where the next batch starts. */
  end: FeedPosition;
  /** A full batch: the feed may go on after it. */
  full: boolean;
}

export class FeedBatches<E> {
  private readonly batches = new Map<number, Promise<FeedBatch<E> | null>>();
  /** Per taker: how many batches it has finished (Infinity once it has left). */
  private readonly finished: number[];
  private waiting: (() => void)[] = [];

  /**
   * @param read the batch after a position, or null past the end of the feed
   * @param takers how many projections take the batches (numbered from 0)
   */
  constructor(
    private readonly read: (after: FeedPosition) => Promise<FeedBatch<E> | null>,
    private readonly from: FeedPosition,
    takers: number,
    private readonly lookahead = 1,
  ) {
    this.finished = Array.from({ length: takers }, () => 0);
  }

  /**
   * Batch `index` (from 0) for a taker, or null past the end of the feed. Waits while the index
   * is more than `lookahead` ahead of the slowest taker; starts reading the batch after it.
   */
  async take(index: number): Promise<FeedBatch<E> | null> {
    while (index - this.slowest() > this.lookahead) {
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
    const batch = this.batch(index);
    if (index + 1 - this.slowest() <= this.lookahead) void this.batch(index + 1);
    return batch;
  }

  /** The taker is done with batch `index`. */
  done(taker: number, index: number): void {
    this.finished[taker] = Math.max(this.finished[taker], index + 1);
    this.release();
  }

  /** The taker takes no more batches (finished, stopped or failed): nobody waits for it. */
  leave(taker: number): void {
    this.finished[taker] = Infinity;
    this.release();
  }

  private slowest(): number {
    return Math.min(...this.finished);
  }

  private batch(index: number): Promise<FeedBatch<E> | null> {
    let batch = this.batches.get(index);
    if (!batch) {
      const before: Promise<{ end: FeedPosition; full: boolean } | null> =
        index === 0 ? Promise.resolve({ end: this.from, full: true }) : this.batch(index - 1);
      batch = before.then((b) => (b?.full ? this.read(b.end) : null));
      // A batch read ahead that fails is reported to whoever takes it, never as unhandled.
      batch.catch(() => undefined);
      this.batches.set(index, batch);
    }
    return batch;
  }

  /**
   * Forgets the batches every taker has passed (of the last of them, only where it ends: the
   * next batch is read from there), and wakes the takers waiting for the slowest.
   */
  private release(): void {
    const slowest = this.slowest();
    for (const [index, batch] of this.batches) {
      if (index < slowest - 1) this.batches.delete(index);
      else if (index === slowest - 1)
        this.batches.set(
          index,
          batch.then((b) => b && { ...b, events: [] }),
        );
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
