import { SharedRead } from './compliance-cache';

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

describe('SharedRead', () => {
  it('gives callers that arrive during a run the next run, started once that one ends', async () => {
    const runs: Array<ReturnType<typeof deferred<number>>> = [];
    const shared = new SharedRead(() => {
      const run = deferred<number>();
      runs.push(run);
      return run.promise;
    });
    const first = shared.read();
    const second = shared.read();
    const third = shared.read();
    expect(runs).toHaveLength(1);
    runs[0].resolve(1);
    expect(await first).toBe(1);
    // The second run starts only after the first has ended: it cannot have missed anything
    // that happened before the callers who share it arrived.
    await new Promise((r) => setImmediate(r));
    expect(runs).toHaveLength(2);
    runs[1].resolve(2);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Nothing in flight: the next caller starts a run of its own.
    const fourth = shared.read();
    expect(runs).toHaveLength(3);
    runs[2].resolve(3);
    expect(await fourth).toBe(3);
  });

  it('fails the callers of a failed run only; the next run goes ahead', async () => {
    const runs: Array<ReturnType<typeof deferred<number>>> = [];
    const shared = new SharedRead(() => {
      const run = deferred<number>();
      runs.push(run);
      return run.promise;
    });
    const first = shared.read();
    const second = shared.read();
    runs[0].reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await new Promise((r) => setImmediate(r));
    runs[1].resolve(5);
    expect(await second).toBe(5);
  });
});
