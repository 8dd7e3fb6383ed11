import { SharedRead } from './shared-read';

/** A run the test finishes by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const nextTurn = () => new Promise((r) => setImmediate(r));

function recordedRuns() {
  const runs: Array<ReturnType<typeof deferred<number>>> = [];
  const shared = new SharedRead(() => {
    const run = deferred<number>();
    runs.push(run);
    return run.promise;
  });
  return { runs, shared };
}

describe('SharedRead', () => {
  it('gives every caller of one turn one run, started after they all called', async () => {
    const { runs, shared } = recordedRuns();
    const first = shared.read();
    const second = shared.read();
    // Not started yet: a caller later in this turn still shares it.
    expect(runs).toHaveLength(0);
    const third = shared.read();
    await nextTurn();
    expect(runs).toHaveLength(1);
    runs[0].resolve(1);
    expect(await Promise.all([first, second, third])).toEqual([1, 1, 1]);
  });

  it('starts a new run for a later turn without waiting for the earlier one', async () => {
    const { runs, shared } = recordedRuns();
    const first = shared.read();
    await nextTurn();
    // The first run is still in flight: a caller that arrives now gets a run of its own, so
    // nothing committed before its call can be missing from what it gets.
    const second = shared.read();
    await nextTurn();
    expect(runs).toHaveLength(2);
    runs[1].resolve(2);
    expect(await second).toBe(2);
    runs[0].resolve(1);
    expect(await first).toBe(1);
  });

  it('fails the callers of a failed run only', async () => {
    const { runs, shared } = recordedRuns();
    const first = shared.read();
    await nextTurn();
    const second = shared.read();
    await nextTurn();
    runs[0].reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    runs[1].resolve(5);
    expect(await second).toBe(5);
  });
});
