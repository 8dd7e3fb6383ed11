import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ComplianceReadModel } from '@app/projections';
import type { LiveMessage, ObligationStatusChange } from './live-message.view';
import { HEARTBEAT_MS, LiveStream } from './live-stream';

/** Just enough of a ServerResponse to see what a stream writes. */
class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, unknown> = {};
  written = '';
  writableLength = 0;
  ended = false;
  destroyed = false;
  setHeader(name: string, value: unknown) {
    this.headers[name.toLowerCase()] = value;
  }
  writeHead(status: number, headers: Record<string, unknown>) {
    this.status = status;
    Object.assign(this.headers, headers);
  }
  write(chunk: string) {
    this.written += chunk;
    return true;
  }
  end() {
    this.ended = true;
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

const status = (id: string): LiveMessage => ({
  event: 'obligation.status',
  data: { id, status: 'overdue', previousStatus: 'pending' } as ObligationStatusChange,
});
const compliance: LiveMessage = {
  event: 'compliance',
  data: { agreementId: 'gaza-2025-10' } as ComplianceReadModel,
};

function open(lastId: string | null = null) {
  const res = new FakeResponse();
  const stream = new LiveStream(
    res as unknown as ServerResponse,
    { 'x-request-id': 'req-1' },
    lastId,
  );
  return { res, stream };
}

describe('a live stream connection', () => {
  afterEach(() => jest.useRealTimers());

  it('answers as an unbuffered event stream that browsers reconnect to within a second', () => {
    const { res, stream } = open();
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': 'req-1',
    });
    expect(res.written).toBe('retry: 1000\n\n');
    stream.close();
  });

  it('puts the new cursor on the last message of a group only, so a cut mid-group replays it', () => {
    const { res, stream } = open('c1');
    res.written = '';
    stream.send([status('a'), status('b'), compliance], 'c2');
    expect(res.written).toBe(
      'id: c1\nevent: obligation.status\ndata: {"id":"a","status":"overdue","previousStatus":"pending"}\n\n' +
        'id: c1\nevent: obligation.status\ndata: {"id":"b","status":"overdue","previousStatus":"pending"}\n\n' +
        'id: c2\nevent: compliance\ndata: {"agreementId":"gaza-2025-10"}\n\n',
    );
    res.written = '';
    stream.send([status('c')]);
    expect(res.written).toMatch(/^id: c2\nevent: obligation.status\n/);
    stream.close();
  });

  it('sends no id before the first cursor when it starts from now', () => {
    const { res, stream } = open(null);
    res.written = '';
    stream.send([status('a')]);
    expect(res.written.startsWith('event: obligation.status\n')).toBe(true);
    stream.close();
  });

  it('sends a comment every 15 seconds and stops when the client goes away', () => {
    jest.useFakeTimers();
    const { res, stream } = open();
    const closed = jest.fn();
    stream.onClose(closed);
    res.written = '';
    jest.advanceTimersByTime(HEARTBEAT_MS);
    expect(res.written).toBe(':\n\n');
    res.emit('close');
    expect(stream.isClosed).toBe(true);
    expect(closed).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(HEARTBEAT_MS);
    expect(res.written).toBe(':\n\n');
  });

  it('cuts off a client that has stopped reading rather than buffer for it without end', () => {
    const { res, stream } = open('c1');
    res.writableLength = 2 * 1024 * 1024;
    stream.send([compliance], 'c2');
    expect(res.destroyed).toBe(true);
    expect(stream.isClosed).toBe(true);
  });
});
