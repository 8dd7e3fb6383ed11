// Group commit for concurrent appends: while earlier flushes are in flight, appends queue up and go
// together in one round trip and one commit. Under light load an append goes out at once, alone,
// so batching adds no latency; under load round trips and commits per append fall.
import type { EventStore } from './event-store';
import type { AppendResult, ExpectedVersion, NewEvent } from './types';

interface Pending {
  streamId: string;
  streamType: string;
  events: NewEvent[];
  expected: ExpectedVersion;
  resolve: (result: AppendResult) => void;
  reject: (reason: unknown) => void;
}

export interface AppendBatcherOptions {
  /** Flushes in flight at once (each holds one pooled connection). */
  maxInFlight?: number;
  /** Appends per flush at most. */
  maxBatch?: number;
}

export class AppendBatcher {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly store: Pick<EventStore, 'append' | 'appendBatch'>,
    options: AppendBatcherOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 4);
    this.maxBatch = Math.max(1, options.maxBatch ?? 64);
  }

  /** Same contract as EventStore.append (without a caller's transaction). */
  append(
    streamId: string,
    streamType: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ streamId, streamType, events, expected, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [one] = batch;
      await this.store
        .append(one.streamId, one.streamType, one.events, one.expected)
        .then(one.resolve, one.reject);
      return;
    }
    try {
      const settled = await this.store.appendBatch(batch);
      settled.forEach((s, i) =>
        s.status === 'fulfilled' ? batch[i].resolve(s.value) : batch[i].reject(s.reason),
      );
    } catch (err) {
      // The batch as a whole failed (connection lost, server down): none of it committed.
      for (const p of batch) p.reject(err);
    }
  }
}
