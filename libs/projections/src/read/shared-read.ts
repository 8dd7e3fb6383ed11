// One run for every caller that arrives in the same turn of the event loop, without any caller
// getting an answer older than its call.

/**
 * Reads that callers share, per key: each `read(key, arg)` resolves with a run for that key that
 * starts after it was called, at the end of the current turn of the event loop (setImmediate),
 * and every caller of that key in that turn shares it; the run gets their arguments merged.
 * Runs may overlap: a caller never waits for an earlier run to end (nor joins one that has
 * started), so one slow run holds up only its own callers.
 */
export class SharedReads<K, A, T> {
  /** Per key, the run the callers of this turn wait for (it has not started yet). */
  private readonly waiting = new Map<K, { arg: A; result: Promise<T> }>();

  constructor(
    private readonly run: (key: K, arg: A) => Promise<T>,
    private readonly merge: (kept: A, added: A) => A,
  ) {}

  /** Whether a read of `key` now would share a run another caller of this turn asked for. */
  isWaiting(key: K): boolean {
    return this.waiting.has(key);
  }

  read(key: K, arg: A): Promise<T> {
    const waiting = this.waiting.get(key);
    if (waiting !== undefined) {
      waiting.arg = this.merge(waiting.arg, arg);
      return waiting.result;
    }
    const next = { arg, result: Promise.resolve() as Promise<T> };
    next.result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // Later callers start a run of their own: this one may miss what they must see.
      this.waiting.delete(key);
      return this.run(key, next.arg);
    });
    this.waiting.set(key, next);
    return next.result;
  }
}

/** A shared read without a key or an argument (see SharedReads). */
export class SharedRead<T> {
  private readonly reads: SharedReads<null, null, T>;

  constructor(run: () => Promise<T>) {
    this.reads = new SharedReads(run, () => null);
  }

  read(): Promise<T> {
    return this.reads.read(null, null);
  }
}
