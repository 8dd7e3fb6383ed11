// Two ways to talk to a listening API: `send` through node:http (keep-alive, any method, headers
// Node lets through), and `sendRaw`, bytes on a socket, for what Node's client refuses to send
// (CR/LF inside a header value, broken framing).
import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface Outgoing {
  method: string;
  /** Path and query exactly as they go on the request line. */
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * For streams (Server-Sent Events): a 200 is answered at the headers and hung up; any other
   * status is an ordinary error answer, read whole.
   */
  headersOnly?: boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const TIMEOUT_MS = 30_000;

export function send(port: number, out: Outgoing): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: out.method,
        path: out.target,
        headers: out.headers,
        agent,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (out.headersOnly && status === 200) {
          resolve({ status, headers: res.headers, text: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(out.body);
  });
}

/**
 * Writes `head` (request line and headers, CRLF-separated, without the blank line) and `body` as
 * they are, then reads until the server closes. Status 0 when the server hung up without a word.
 */
export function sendRaw(port: number, head: string, body: string | Buffer = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server that refuses a request may reset the connection before we read everything.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') finish();
      else reject(err);
    });
    socket.on('end', finish);
    socket.on('close', finish);
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      resolve(parseAnswer(Buffer.concat(chunks).toString('latin1')));
    }
    // Not socket.end(): Node's server drops a request whose client half-closes before the answer.
    socket.write(`${head}\r\nConnection: close\r\n\r\n`, 'latin1');
    socket.write(body);
  });
}

function parseAnswer(raw: string): Answer {
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.1 1\d\d /.test(raw)) raw = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const split = raw.indexOf('\r\n\r\n');
  if (!raw.startsWith('HTTP/1.1 ') || split < 0) return { status: 0, headers: {}, text: raw };
  const [statusLine, ...lines] = raw.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    text: Buffer.from(body, 'latin1').toString('utf8'),
  };
}

function unchunk(body: string): string {
  let out = '';
  for (let at = 0; ;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}
