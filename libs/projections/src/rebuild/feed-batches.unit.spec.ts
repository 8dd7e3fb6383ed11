import type { FeedPosition } from '@app/event-store';
import { FeedBatch, FeedBatches } from './feed-batches';

const at = (n: number): FeedPosition => ({ transactionId: 1n, globalPosition: BigInt(n) });

/** A feed of `size` events read `batchSize` at a time, recording where each read started. */
function feedOf(size: number, batchSize: number) {
  const reads: number[] = [];
  const read = async (after: FeedPosition): Promise<FeedBatch<number> | null> => {
    await new Promise((r) => setImmediate(r));
    const start = Number(after.globalPosition);
    reads.push(start);
    const events = Array.from(
      { length: Math.min(batchSize, size - start) },
      (_, i) => start + i + 1,
    );
    if (events.length === 0) return null;
    return { events, end: at(events[events.length - 1]), full: events.length === batchSize };
  };
  return { read, reads };
}

/** One taker: takes every batch in order, each after `delay` turns of the event loop. */
async function take(feed: FeedBatches<number>, taker: number, delay: number) {
  const seen: number[] = [];
  try {
    for (let index = 0; ; index++) {
      const batch = await feed.take(index);
      if (!batch) return seen;
      for (let i = 0; i < delay; i++) await new Promise((r) => setImmediate(r));
      seen.push(...batch.events);
      feed.done(taker, index);
      if (!batch.full) return seen;
    }
  } finally {
    feed.leave(taker);
  }
}

describe('FeedBatches', () => {
  it('reads each batch once for every taker, fast or slow, and gives each the whole feed', async () => {
    const source = feedOf(95, 10);
    const feed = new FeedBatches(source.read, at(0), 3, 2);
    const [fast, slow, slower] = await Promise.all([
      take(feed, 0, 0),
      take(feed, 1, 3),
      take(feed, 2, 9),
    ]);
    const all = Array.from({ length: 95 }, (_, i) => i + 1);
    expect(fast).toEqual(all);
    expect(slow).toEqual(all);
    expect(slower).toEqual(all);
    expect(source.reads).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('keeps the fastest taker within the lookahead of the slowest', async () => {
    const lookahead = 2;
    const feed = new FeedBatches<number>(feedOf(200, 10).read, at(0), 2, lookahead);
    const finished = [0, 0];
    let furthestAhead = 0;
    const track = async (taker: number, delay: number) => {
      for (let index = 0; ; index++) {
        const batch = await feed.take(index);
        furthestAhead = Math.max(furthestAhead, index - Math.min(...finished));
        if (!batch) break;
        for (let i = 0; i < delay; i++) await new Promise((r) => setImmediate(r));
        feed.done(taker, index);
        finished[taker] = index + 1;
        if (!batch.full) break;
      }
      finished[taker] = Infinity;
      feed.leave(taker);
    };
    await Promise.all([track(0, 0), track(1, 20)]);
    expect(furthestAhead).toBe(lookahead);
  });

  it('a feed that ends on a full batch ends with null; an empty feed at once', async () => {
    const exact = new FeedBatches(feedOf(20, 10).read, at(0), 1);
    expect(await take(exact, 0, 0)).toHaveLength(20);
    const empty = new FeedBatches(feedOf(0, 10).read, at(0), 1);
    expect(await empty.take(0)).toBeNull();
  });

  it('a taker that leaves early does not hold the others back', async () => {
    const feed = new FeedBatches(feedOf(100, 10).read, at(0), 2, 1);
    feed.leave(1);
    expect(await take(feed, 0, 0)).toHaveLength(100);
  });

  it('a failed read reaches every taker of that batch', async () => {
    let reads = 0;
    const feed = new FeedBatches<number>(
      async (after) => {
        if (++reads === 3) throw new Error('connection lost');
        const start = Number(after.globalPosition);
        return { events: [start + 1], end: at(start + 1), full: true };
      },
      at(0),
      2,
    );
    await expect(Promise.all([take(feed, 0, 0), take(feed, 1, 1)])).rejects.toThrow(
      'connection lost',
    );
  });
});
