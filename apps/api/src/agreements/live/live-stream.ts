// One Server-Sent Events connection: framing, the heartbeat, and closing (by the client, by the
// server when it stops, or when the client reads too slowly).
import type { ServerResponse } from 'node:http';
import type { LiveMessage } from './live-message.view';

export const HEARTBEAT_MS = 15_000;
/** How soon a browser's EventSource reconnects after a cut. */
const RETRY_MS = 1000;
/**
 * A client this far behind is cut off rather than buffered for without end; it reconnects with
 * its Last-Event-ID and loses nothing.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

// A group goes to every stream of its agreement: its data is serialised once.
const encoded = new WeakMap<LiveMessage, string>();
function dataOf(message: LiveMessage): string {
  let data = encoded.get(message);
  if (data === undefined) {
    data = JSON.stringify(message.data);
    encoded.set(message, data);
  }
  return data;
}

export class LiveStream {
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];
  private readonly heartbeat: NodeJS.Timeout;

  /**
   * @param headers those the reply has gathered so far (X-Request-Id)
   * @param lastId the cursor everything up to which the client already has (its Last-Event-ID),
   * or null for a stream that starts now.
   */
  constructor(
    private readonly res: ServerResponse,
    headers: Record<string, string | number | string[] | undefined>,
    private lastId: string | null,
  ) {
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold messages back to fill a buffer.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.heartbeat = setInterval(() => this.write(':\n\n'), HEARTBEAT_MS).unref();
    res.on('close', () => this.closed());
    // A connection that fails is simply over: the client reconnects with its Last-Event-ID.
    res.on('error', () => this.close());
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Sends messages; with `cursor`, the last one carries it as its id. The others repeat the
   * previous id: a client cut off in the middle of a group resumes from before the group and
   * gets all of it again.
   */
  send(messages: readonly LiveMessage[], cursor?: string): void {
    if (messages.length === 0) return;
    const frames = messages.map((m, i) => {
      const id = cursor !== undefined && i === messages.length - 1 ? cursor : this.lastId;
      return `${id === null ? '' : `id: ${id}\n`}event: ${m.event}\ndata: ${dataOf(m)}\n\n`;
    });
    if (cursor !== undefined) this.lastId = cursor;
    this.write(frames.join(''));
  }

  close(): void {
    if (!this.closedFlag) this.res.end();
    this.closed();
  }

  private write(chunk: string): void {
    if (this.closedFlag) return;
    this.res.write(chunk);
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.res.destroy();
      this.closed();
    }
  }

  private closed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    clearInterval(this.heartbeat);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
