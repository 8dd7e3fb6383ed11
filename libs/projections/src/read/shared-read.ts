// One query for every caller that arrives in the same turn of the event loop, without any caller
// getting an answer older than its call.

/**
 * A read that callers share: each `read()` resolves with a run that starts after it was called,
 * at the end of the current turn of the event loop (setImmediate), and every caller of that turn
 * shares it. Runs may overlap: a caller never waits for an earlier run to end, so one slow run
 * holds up only its own callers.
 */
export class SharedRead<T> {
  private next: Promise<T> | null = null;

  constructor(private readonly run: () => Promise<T>) {}

  read(): Promise<T> {
    this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.next = null;
      return this.run();
    });
    return this.next;
  }
}
