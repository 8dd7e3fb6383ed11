import { EventEmitter } from 'node:events';
import { QUEUE_ERROR_REPORT_EVERY_MS, reportQueueErrors } from './queue-errors';

describe('reportQueueErrors', () => {
  it('logs the first error at once, then one line per period for all emitters, with the count left out', () => {
    const queue = new EventEmitter();
    const worker = new EventEmitter();
    const lines: string[] = [];
    let now = 1_000;
    reportQueueErrors({ warn: (m) => lines.push(m) }, [queue, worker], () => now);

    queue.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    expect(lines).toEqual(['queue: connect ECONNREFUSED 127.0.0.1:6379']);

    // A Redis outage: every retry of every queue and worker fails.
    for (let i = 0; i < 5; i++) {
      now += 1_000;
      queue.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      worker.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
    expect(lines).toHaveLength(1);

    now = 1_000 + QUEUE_ERROR_REPORT_EVERY_MS;
    worker.emit('error', new Error('Connection is closed.'));
    expect(lines).toEqual([
      'queue: connect ECONNREFUSED 127.0.0.1:6379',
      'queue: Connection is closed. (10 more since the last report)',
    ]);
  });

  it('takes the error, so an emitter with no other listener does not throw', () => {
    const queue = new EventEmitter();
    reportQueueErrors({ warn: () => undefined }, [queue]);
    expect(() => queue.emit('error', new Error('boom'))).not.toThrow();
  });
});
