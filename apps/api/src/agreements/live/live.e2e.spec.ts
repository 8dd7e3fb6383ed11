// GET /v1/agreements/:id/live over real HTTP connections: changes arrive within about a second of
// their write (or of a deadline passing, with no event), and a client that reconnects with
// Last-Event-ID gets everything it missed. Projections are kept current in-process, as the
// worker would: a catch-up of every projection and the status sweep every 100 ms. Delays are
// measured from the moment the projections had the change, as the stream's own share: on a shared
// PostgreSQL server another database's long transaction holds every feed reader back.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { comparePositions, decodeCursor } from '@app/event-store';
import type { FeedPosition } from '@app/event-store';
import {
  liveProjectionsHead,
  obligationsProjection,
  PROJECTIONS,
  ProjectionRunner,
  recomputeDueObligations,
  violationsProjection,
  type Projection,
} from '@app/projections';
import {
  ApiHarness,
  october2025Agreement,
  startApi,
} from '../../../../../test/support/api-harness';

const AGREEMENT = 'live-feed';
const FUTURE = '2099-01-01T00:00:00Z';
const PUSH_WITHIN_MS = 1000;

interface SseMessage {
  event: string;
  data: { id?: string; [field: string]: unknown };
  /** The stream's last event id once this message was read (the id a client would resume from). */
  lastEventId: string | null;
  receivedAt: number;
}

/** A minimal EventSource: parses frames as the SSE spec does, and keeps every message. */
class SseClient {
  readonly messages: SseMessage[] = [];
  lastEventId: string | null = null;
  ended = false;
  private buffer = '';
  private read = 0;

  private constructor(
    readonly response: IncomingMessage,
    private readonly destroy: () => void,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.parse();
    });
    response.on('close', () => (this.ended = true));
  }

  static open(port: number, path: string, headers: Record<string, string>): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) =>
        resolve(new SseClient(res, () => req.destroy())),
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** The next message (after those already taken) that matches; earlier ones are passed over. */
  async next(
    event: string,
    match: (m: SseMessage) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<SseMessage> {
    const started = Date.now();
    for (;;) {
      const index = this.messages.findIndex(
        (m, i) => i >= this.read && m.event === event && match(m),
      );
      if (index >= 0) {
        this.read = index + 1;
        return this.messages[index];
      }
      if (this.ended || Date.now() - started > timeoutMs) {
        throw new Error(`no ${event} message within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The messages up to the next `compliance` (the end of a group), that one included. */
  async group(): Promise<SseMessage[]> {
    const from = this.read;
    await this.next('compliance');
    return this.messages.slice(from, this.read);
  }

  close(): void {
    this.destroy();
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') this.lastEventId = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length === 0) continue;
      this.messages.push({
        event,
        data: JSON.parse(data.join('\n')),
        lastEventId: this.lastEventId,
        receivedAt: Date.now(),
      });
    }
  }
}

const violation = (description: string) => ({
  agreementId: AGREEMENT,
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  location: { name: 'Khan Younis', precision: 'region' },
  category: 'shelling',
  allegedPartyId: 'israel',
  description,
  casualties: { killed: 0, injured: 2 },
  sources: [{ name: 'Gaza Health Ministry', kind: 'official' }],
});

const obligation = (id: string, dueAt: string) => ({
  id,
  phaseKey: 'phase-1',
  kind: 'hostage_release',
  title: `Obligation ${id}`,
  responsiblePartyId: 'hamas',
  target: { quantity: 20, unit: 'hostages' },
  dueAt,
});

describe('GET /v1/agreements/:id/live', () => {
  let api: ApiHarness | undefined;
  let port: number;
  let runner: ProjectionRunner;
  let projecting = true;
  let projectorPaused = false;
  let projection: Promise<void> = Promise.resolve();
  let projector: Promise<void>;
  const opened: SseClient[] = [];

  const harness = (): ApiHarness => {
    if (!api) throw new Error('the API is closed');
    return api;
  };
  const connect = async (
    headers: Record<string, string> = {},
    query = '',
    agreement = AGREEMENT,
  ) => {
    const client = await SseClient.open(port, `/v1/agreements/${agreement}/live${query}`, {
      ...harness().auth('reader'),
      ...headers,
    });
    opened.push(client);
    return client;
  };
  const post = async (path: string, role: 'monitor' | 'verifier' | 'coordinator', body: object) => {
    const res = await harness().http().post(path).set(harness().auth(role)).send(body);
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as { id: string; position: number };
  };
  const reportViolation = (description: string) =>
    post('/v1/violations', 'monitor', violation(description));
  const verifyViolation = (id: string, outcome: 'confirmed' | 'discounted') =>
    post(`/v1/violations/${id}/verification`, 'verifier', { outcome, note: `${outcome} on site` });
  const registerObligation = (id: string, dueAt: string) =>
    post(`/v1/agreements/${AGREEMENT}/obligations`, 'coordinator', obligation(id, dueAt));
  const reportProgress = (id: string, quantity: number) =>
    post(`/v1/obligations/${id}/progress`, 'monitor', {
      quantity,
      occurredAt: new Date(Date.now() - 1000).toISOString(),
      source: 'Reuters',
    });
  const storedStatus = async (id: string) =>
    (
      await harness().db.pool.query<{ status: string }>(
        'SELECT status FROM proj_obligations WHERE obligation_id = $1',
        [id],
      )
    ).rows[0]?.status;
  const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) => {
    const started = Date.now();
    while (!(await probe())) {
      if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now();
  };
  const feedPositionOf = async (position: number): Promise<FeedPosition> => {
    const { rows } = await harness().db.pool.query<{ transaction_id: string }>(
      'SELECT transaction_id::text FROM events WHERE global_position = $1',
      [position],
    );
    return { transactionId: BigInt(rows[0].transaction_id), globalPosition: BigInt(position) };
  };
  /** When every projection the stream reads had passed the event written at this position. */
  const projected = async (position: number) => {
    const event = await feedPositionOf(position);
    return until(
      `event ${position} projected`,
      async () => comparePositions(await liveProjectionsHead(harness().db.pool), event) >= 0,
    );
  };
  /** Moves one projection past the event at this position while the others stay behind. */
  const projectOnly = async (only: Projection, position: number) => {
    const event = await feedPositionOf(position);
    await until(`${only.name} past event ${position}`, async () => {
      await runner.catchUp(only);
      const { rows } = await harness().db.pool.query<{ passed: boolean }>(
        `SELECT (transaction_id, global_position) >= ($2::xid8, $3::bigint) AS passed
           FROM projection_checkpoints WHERE name = $1`,
        [only.name, event.transactionId.toString(), event.globalPosition.toString()],
      );
      return rows[0]?.passed === true;
    });
  };
  const pauseProjector = async () => {
    projectorPaused = true;
    await projection;
  };
  const pushedSoon = async (
    what: string,
    message: Promise<SseMessage>,
    changed: Promise<number>,
  ) => {
    const [m, changedAt] = await Promise.all([message, changed]);
    console.log(`${what}: pushed ${m.receivedAt - changedAt} ms after the projections had it`);
    expect(m.receivedAt - changedAt).toBeLessThan(PUSH_WITHIN_MS);
    return m;
  };

  beforeAll(async () => {
    api = await startApi();
    await api.app.listen(0, '127.0.0.1');
    port = (api.app.getHttpServer().address() as AddressInfo).port;
    await post('/v1/agreements', 'coordinator', october2025Agreement(AGREEMENT));
    await registerObligation('hostages', FUTURE);
    await registerObligation('remains', FUTURE);
    runner = new ProjectionRunner(api.db.pool);
    const pool = api.db.pool;
    // What the worker does on its wake-ups and its status sweep, every 100 ms.
    projector = (async () => {
      while (projecting) {
        if (!projectorPaused) {
          projection = runner
            .catchUpAll(PROJECTIONS)
            .then(() => recomputeDueObligations(pool, new Date()))
            .then(() => undefined);
          await projection;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await until(
      'the agreement projected',
      async () => (await storedStatus('remains')) === 'pending',
    );
  });

  afterAll(async () => {
    for (const client of opened) client.close();
    projecting = false;
    await projector;
    await api?.close();
  });

  describe('refusals come before the stream, in the error shape', () => {
    it('refuses a request without an API key with 401', async () => {
      const res = await harness().http().get(`/v1/agreements/${AGREEMENT}/live`).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    });

    it('answers 404 for an agreement that does not exist', async () => {
      const res = await harness()
        .http()
        .get('/v1/agreements/no-such-agreement/live')
        .set(harness().auth('reader'))
        .expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('answers 400 for a forged Last-Event-ID or ?after= cursor', async () => {
      const forged = Buffer.from('f1.12.not-a-number').toString('base64url');
      for (const request of [
        { header: 'forged' },
        { header: forged },
        { query: '?after=%21%21' },
        { query: '?unknown=1' },
      ]) {
        const res = await harness()
          .http()
          .get(`/v1/agreements/${AGREEMENT}/live${request.query ?? ''}`)
          .set(harness().auth('reader'))
          .set(request.header ? { 'Last-Event-ID': request.header } : {})
          .expect(400);
        expect(res.body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
        });
      }
    });
  });

  it('is described in the OpenAPI document as a text/event-stream with its message shapes', async () => {
    const doc = (await harness().http().get('/docs-json').expect(200)).body;
    const operation = doc.paths['/v1/agreements/{id}/live'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.responses['404'].content['application/json']).toBeDefined();
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'after', 'Last-Event-ID']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ObligationStatusChangeView', 'ViolationLevelChangeView']),
    );
  });

  describe('a live stream', () => {
    let stream: SseClient;
    let openViolation: string;

    it('opens as an event stream with the compliance figures and a resumable cursor', async () => {
      stream = await connect();
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.response.headers['cache-control']).toBe('no-cache');
      expect(stream.response.headers['x-request-id']).toBeDefined();
      const first = await stream.next('compliance');
      expect(first.data).toMatchObject({ agreementId: AGREEMENT, generatedFrom: 'projection' });
      expect(first.lastEventId).toEqual(expect.any(String));
      expect(() => decodeCursor(first.lastEventId as string)).not.toThrow();
      // The id is a feed cursor: the audit feed takes it.
      await harness()
        .http()
        .get(`/v1/events?after=${first.lastEventId}`)
        .set(harness().auth('auditor'))
        .expect(200);
    });

    it('pushes a new report as violation.reported, then the compliance figures', async () => {
      const second = await connect();
      await second.next('compliance');
      const { id, position } = await reportViolation('Shelling near the hospital');
      openViolation = id;
      const reported = await pushedSoon(
        'violation.reported',
        stream.next('violation.reported'),
        projected(position),
      );
      expect(reported.data).toMatchObject({ id, agreementId: AGREEMENT, verification: 'reported' });
      const compliance = await stream.next('compliance');
      const party = (
        compliance.data.parties as Array<{ partyId: string; violations: object }>
      ).find((p) => p.partyId === 'israel');
      expect(party?.violations).toMatchObject({ reported: 1 });
      // Every message of the group but the last repeats the previous cursor; the last moves it on.
      expect(reported.lastEventId).not.toBe(compliance.lastEventId);
      // A second stream of the same agreement is served by the same poller, with the same news.
      expect((await second.next('violation.reported')).data.id).toBe(id);
      second.close();
    });

    it('pushes violation.level when a verifier confirms the report', async () => {
      const { position } = await verifyViolation(openViolation, 'confirmed');
      const level = await pushedSoon(
        'violation.level',
        stream.next('violation.level'),
        projected(position),
      );
      expect(level.data).toMatchObject({
        id: openViolation,
        verification: 'confirmed',
        previousVerification: 'reported',
        verificationNote: 'confirmed on site',
      });
      await stream.next('compliance');
    });

    it('pushes obligation.status when progress is reported and when it is verified', async () => {
      const progress = await reportProgress('hostages', 5);
      const progressed = await pushedSoon(
        'obligation.status after progress',
        stream.next('obligation.status'),
        projected(progress.position),
      );
      expect(progressed.data).toMatchObject({
        id: 'hostages',
        status: 'in_progress',
        previousStatus: 'pending',
      });
      const verification = await post('/v1/obligations/hostages/verification', 'verifier', {
        outcome: 'verified',
        note: 'all twenty released, ICRC',
      });
      const fulfilled = await pushedSoon(
        'obligation.status after verification',
        stream.next('obligation.status'),
        projected(verification.position),
      );
      expect(fulfilled.data).toMatchObject({
        id: 'hostages',
        status: 'fulfilled',
        previousStatus: 'in_progress',
      });
    });

    it('pushes obligation.status when a deadline passes, with no new event', async () => {
      const dueAt = new Date(Date.now() + 3000);
      await registerObligation('due-soon', dueAt.toISOString());
      const registered = await stream.next('obligation.status', (m) => m.data.id === 'due-soon');
      expect(registered.data).toMatchObject({ status: 'pending', previousStatus: null });
      const events = await harness().eventCount();
      const overdue = await pushedSoon(
        'obligation.status as the deadline passed',
        stream.next('obligation.status', (m) => m.data.id === 'due-soon'),
        until(
          'the sweep stored overdue',
          async () => (await storedStatus('due-soon')) === 'overdue',
        ),
      );
      console.log(`deadline to obligation.status: ${overdue.receivedAt - dueAt.getTime()} ms`);
      expect(overdue.data).toMatchObject({ status: 'overdue', previousStatus: 'pending' });
      expect(await harness().eventCount()).toBe(events);
      const compliance = await stream.next('compliance');
      const hamas = (
        compliance.data.parties as Array<{ partyId: string; obligations: object }>
      ).find((p) => p.partyId === 'hamas');
      expect(hamas?.obligations).toMatchObject({ overdue: 1, fulfilled: 1, pending: 1 });
    });

    it('resumes after a reconnect with Last-Event-ID with nothing missed', async () => {
      // A report that will change level while the client is away.
      const { id: changedWhileAway } = await reportViolation('Shots fired at fishermen');
      await stream.next('violation.reported', (m) => m.data.id === changedWhileAway);
      const dueAt = new Date(Date.now() + 1500).toISOString();
      await registerObligation('due-while-away', dueAt);
      await stream.next('obligation.status', (m) => m.data.id === 'due-while-away');
      await stream.next('compliance');
      const resumeFrom = stream.lastEventId as string;
      stream.close();

      const { id: reportedWhileAway } = await reportViolation('Demolitions east of the line');
      await verifyViolation(changedWhileAway, 'discounted');
      const last = await reportProgress('remains', 3);
      await until(
        'the deadline swept',
        async () => (await storedStatus('due-while-away')) === 'overdue',
      );
      await projected(last.position);

      const resumed = await connect({ 'Last-Event-ID': resumeFrom });
      const group = await resumed.group();
      expect(group.map((m) => m.event)).toEqual([
        'violation.reported',
        'violation.level',
        'obligation.status',
        'obligation.status',
        'obligation.status',
        'obligation.status',
        'compliance',
      ]);
      expect(group[0].data).toMatchObject({ id: reportedWhileAway, verification: 'reported' });
      expect(group[1].data).toMatchObject({ id: changedWhileAway, verification: 'discounted' });
      expect(Object.fromEntries(group.slice(2, 6).map((m) => [m.data.id, m.data.status]))).toEqual({
        hostages: 'fulfilled',
        remains: 'in_progress',
        'due-soon': 'overdue',
        'due-while-away': 'overdue',
      });
      // A cut inside the group would resume from where the client came back from; its end moves on.
      expect(group.slice(0, -1).every((m) => m.lastEventId === resumeFrom)).toBe(true);
      expect(group[group.length - 1].lastEventId).not.toBe(resumeFrom);

      // ... and it goes on live from there.
      const { id: afterResume } = await reportViolation('Drone strike on a vehicle');
      expect((await resumed.next('violation.reported')).data.id).toBe(afterResume);
      stream = resumed;
    });

    it('resumes from ?after= as from Last-Event-ID', async () => {
      const from = (await stream.next('compliance')).lastEventId as string;
      const { id } = await reportViolation('Incursion by bulldozers');
      const resumed = await connect({}, `?after=${from}`);
      expect((await resumed.next('violation.reported')).data.id).toBe(id);
      // Last-Event-ID wins over ?after= (a browser keeps the URL and adds the header).
      const latest = (await resumed.next('compliance')).lastEventId as string;
      const again = await connect({ 'Last-Event-ID': latest }, `?after=${from}`);
      await again.next('compliance');
      expect(again.messages.some((m) => m.event === 'violation.reported')).toBe(false);
      resumed.close();
      again.close();
    });

    it('leaves no gap: the last state streamed is the state the read API answers', async () => {
      const all = await connect({ 'Last-Event-ID': opened[0].messages[0].lastEventId as string });
      await all.next('compliance', (m) => m.lastEventId !== opened[0].messages[0].lastEventId);
      const levels = new Map<string, unknown>();
      const statuses = new Map<string, unknown>();
      for (const m of all.messages) {
        if (m.event === 'violation.reported' || m.event === 'violation.level')
          levels.set(m.data.id as string, m.data.verification);
        if (m.event === 'obligation.status') statuses.set(m.data.id as string, m.data.status);
      }
      const violations = await harness()
        .http()
        .get(`/v1/violations?agreementId=${AGREEMENT}`)
        .set(harness().auth('reader'))
        .expect(200);
      expect(Object.fromEntries(levels)).toEqual(
        Object.fromEntries(
          (violations.body.items as Array<{ id: string; verification: string }>).map((v) => [
            v.id,
            v.verification,
          ]),
        ),
      );
      const obligations = await harness()
        .http()
        .get(`/v1/obligations?agreementId=${AGREEMENT}`)
        .set(harness().auth('reader'))
        .expect(200);
      expect(Object.fromEntries(statuses)).toEqual(
        Object.fromEntries(
          (obligations.body.items as Array<{ id: string; status: string }>).map((o) => [
            o.id,
            o.status,
          ]),
        ),
      );
      all.close();
    });
  });

  it('sends changes a projection had applied before the others when the stream started', async () => {
    const other = 'live-feed-other';
    await post('/v1/agreements', 'coordinator', october2025Agreement(other));
    await post(
      `/v1/agreements/${other}/obligations`,
      'coordinator',
      obligation('other-hostages', FUTURE),
    );
    const reported = await post('/v1/violations', 'monitor', {
      ...violation('Shelling at the crossing'),
      agreementId: other,
    });
    await projected(reported.position);
    await pauseProjector();
    const confirmed = await verifyViolation(reported.id, 'confirmed');
    const progress = await reportProgress('other-hostages', 2);
    // The violations and obligations rows show both changes; the stream's position does not.
    await projectOnly(violationsProjection, confirmed.position);
    await projectOnly(obligationsProjection, progress.position);
    const late = await connect({}, '', other);
    await late.next('compliance');
    projectorPaused = false;
    expect((await late.next('violation.level')).data).toMatchObject({
      id: reported.id,
      verification: 'confirmed',
    });
    expect(
      (await late.next('obligation.status', (m) => m.data.id === 'other-hostages')).data,
    ).toMatchObject({ status: 'in_progress' });
    late.close();
  });

  it('closes open streams when the app shuts down', async () => {
    const open = await connect();
    await open.next('compliance');
    const app = harness();
    api = undefined;
    projecting = false;
    await projector;
    await app.close();
    await until('the stream ended', async () => open.ended, 2000);
  });
});
