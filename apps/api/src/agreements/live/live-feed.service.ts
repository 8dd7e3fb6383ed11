// The one poller per API process behind every live stream. While anyone watches, it asks every
// 250 ms how far the projections have come (one small query on their checkpoints). When they have
// moved, it reads the watched agreements' events in the stretch of the feed they have just passed
// (commit-safe: every event up to a checkpoint has committed), reads the projection rows those
// events touched, and sends the changes to each agreement's streams, worked out once per
// agreement. Obligation statuses also change with no event when a deadline passes: once a check
// time of a watched agreement has passed, its statuses are read again at every tick until the
// worker's sweep has recomputed them.
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { comparePositions, encodeCursor, FEED_START, type FeedPosition } from '@app/event-store';
import {
  agreementEventsBetween,
  getCompliance,
  getViolation,
  groupBy,
  liveBaseline,
  liveProjectionsHead,
  obligationStatuses,
  violationLevels,
  type AgreementEventRef,
  type ObligationStatusRow,
} from '@app/projections';
import { PG_POOL } from '@app/shared';
import type { Pool } from 'pg';
import { AgreementWatch } from './agreement-watch';
import type { LiveMessage, ObligationStatusChange } from './live-message.view';
import type { LiveStream } from './live-stream';

const TICK_MS = 250;
const SCAN_PAGE = 5000;

/** What one agreement's events in a stretch of the feed touched (an entry: it had events). */
interface Touched {
  /** Violations reported in the stretch, in feed order. */
  reported: Set<string>;
  /** Violations with other events in the stretch. */
  violations: Set<string>;
}

/** Work that must not interleave with a tick (a stream joining its agreement's watch). */
interface Task {
  run(): Promise<void>;
  cancel(reason: Error): void;
}

const statusMessage = (data: ObligationStatusChange): LiveMessage => ({
  event: 'obligation.status',
  data,
});
const statusMessages = (changes: readonly ObligationStatusChange[]): LiveMessage[] =>
  changes.map(statusMessage);

@Injectable()
export class LiveFeed implements OnModuleDestroy {
  private readonly logger = new Logger('LiveFeed');
  private readonly watches = new Map<string, AgreementWatch>();
  private readonly streams = new Set<LiveStream>();
  private readonly tasks: Task[] = [];
  /** Every event up to here has been turned into messages for every watch. */
  private position: FeedPosition = FEED_START;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopping = false;
  /** A tick failed (PostgreSQL unreachable): said once, not every 250 ms. */
  private paused = false;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * Sends the agreement's changes after `from` to the stream until it closes. From a cursor, the
   * stream starts with what changed since (reports, levels, every obligation's status); without
   * one, from now. Either way a `compliance` message carrying the cursor it starts from comes
   * first, so that a client can resume even if nothing changes before it is cut off.
   */
  async follow(agreementId: string, from: FeedPosition | null, stream: LiveStream): Promise<void> {
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
    let scanned = from;
    if (from !== null) {
      // Most of a long absence is caught up beside the loop, so other streams are not held up.
      const reached = await this.inLoop(async () => this.position);
      if (comparePositions(from, reached) < 0) {
        const touched = await this.scan([agreementId], from, reached);
        stream.send(await this.violationMessages(touched.get(agreementId), null));
        scanned = reached;
      }
    }
    await this.inLoop(async () => {
      if (stream.isClosed) return;
      const watch = await this.watchOf(agreementId);
      const messages: LiveMessage[] = [];
      if (scanned !== null) {
        if (comparePositions(scanned, this.position) < 0) {
          const touched = await this.scan([agreementId], scanned, this.position);
          messages.push(...(await this.violationMessages(touched.get(agreementId), null)));
        }
        const statuses = await obligationStatuses(this.pool, [agreementId]);
        messages.push(...statuses.map((data) => statusMessage({ ...data, previousStatus: null })));
      }
      messages.push(...(await this.complianceMessage(agreementId)));
      stream.send(messages, encodeCursor(this.position));
      // Joined inside the loop: the next tick's changes are the first it has not been sent.
      if (!stream.isClosed) watch.streams.add(stream);
      stream.onClose(() => watch.streams.delete(stream));
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.ticking;
    for (const task of this.tasks.splice(0)) task.cancel(new Error('the service is stopping'));
    // Open streams would keep the HTTP server from closing.
    for (const stream of [...this.streams]) stream.close();
    this.watches.clear();
  }

  private inLoop<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new Error('the service is stopping'));
    return new Promise<T>((resolve, reject) => {
      this.tasks.push({ run: () => work().then(resolve, reject), cancel: reject });
      this.wake(0);
    });
  }

  private wake(delayMs: number): void {
    if (this.timer !== null || this.ticking !== null || this.stopping) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        if (this.tasks.length > 0) this.wake(0);
        else if (this.watches.size > 0) this.wake(TICK_MS);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    for (const [agreementId, watch] of this.watches) {
      if (watch.streams.size === 0) this.watches.delete(agreementId);
    }
    try {
      await this.advance();
      await this.pollDueStatuses();
      if (this.paused) this.logger.log('live updates resumed');
      this.paused = false;
    } catch (err) {
      // The next tick tries the same stretch again; streams stay open meanwhile.
      if (!this.paused) this.logger.warn(`live updates paused: ${(err as Error).message}`);
      this.paused = true;
    }
    while (this.tasks.length > 0) await this.tasks.shift()?.run();
  }

  /** Turns the events the projections have passed since the last tick into messages. */
  private async advance(): Promise<void> {
    const head = await liveProjectionsHead(this.pool);
    if (comparePositions(head, this.position) <= 0) return;
    if (this.watches.size > 0) {
      const touched = await this.scan([...this.watches.keys()], this.position, head);
      const statuses =
        touched.size > 0
          ? groupBy(await obligationStatuses(this.pool, [...touched.keys()]), (r) => r.agreementId)
          : new Map<string, ObligationStatusRow[]>();
      const cursor = encodeCursor(head);
      for (const [agreementId, what] of touched) {
        const watch = this.watches.get(agreementId);
        if (!watch) continue;
        const messages = [
          ...(await this.violationMessages(what, watch)),
          ...statusMessages(watch.obligationChanges(statuses.get(agreementId) ?? [])),
        ];
        // Any event may move the compliance figures (casualties, tallies), so it always goes.
        await this.broadcast(watch, messages, cursor);
      }
    }
    this.position = head;
  }

  /** Statuses that moved with time: a deadline passed and the worker's sweep recomputed them. */
  private async pollDueStatuses(): Promise<void> {
    const now = Date.now();
    const due = [...this.watches.values()].filter((w) => w.statusesDueBy(now));
    if (due.length === 0) return;
    const statuses = groupBy(
      await obligationStatuses(
        this.pool,
        due.map((w) => w.agreementId),
      ),
      (r) => r.agreementId,
    );
    const cursor = encodeCursor(this.position);
    for (const watch of due) {
      const changes = watch.obligationChanges(statuses.get(watch.agreementId) ?? []);
      if (changes.length > 0) await this.broadcast(watch, statusMessages(changes), cursor);
    }
  }

  private async broadcast(
    watch: AgreementWatch,
    messages: readonly LiveMessage[],
    cursor: string,
  ): Promise<void> {
    const group = [...messages, ...(await this.complianceMessage(watch.agreementId))];
    for (const stream of watch.streams) stream.send(group, cursor);
  }

  /** Per agreement, what its events after `after` up to `upTo` touched. */
  private async scan(
    agreementIds: readonly string[],
    after: FeedPosition,
    upTo: FeedPosition,
  ): Promise<Map<string, Touched>> {
    const touched = new Map<string, Touched>();
    for await (const event of this.eventsOf(agreementIds, after, upTo)) {
      let what = touched.get(event.agreementId);
      if (!what) {
        what = { reported: new Set(), violations: new Set() };
        touched.set(event.agreementId, what);
      }
      if (event.violationId === null) continue;
      if (event.type === 'ViolationReported') what.reported.add(event.violationId);
      else what.violations.add(event.violationId);
    }
    return touched;
  }

  private async *eventsOf(
    agreementIds: readonly string[],
    after: FeedPosition,
    upTo: FeedPosition,
  ): AsyncGenerator<AgreementEventRef> {
    for (let from = after; ;) {
      const events = await agreementEventsBetween(this.pool, agreementIds, from, upTo, SCAN_PAGE);
      yield* events;
      if (events.length < SCAN_PAGE) return;
      from = events[events.length - 1].position;
    }
  }

  /**
   * New reports as read models, and level changes of the others: measured against the watch's
   * last look, or (no watch: a resumed stream catching up) the current level of each.
   */
  private async violationMessages(
    touched: Touched | undefined,
    watch: AgreementWatch | null,
  ): Promise<LiveMessage[]> {
    if (!touched) return [];
    const messages: LiveMessage[] = [];
    for (const id of touched.reported) {
      const violation = await getViolation(this.pool, id);
      if (!violation) continue;
      watch?.reported(id, violation.verification);
      messages.push({ event: 'violation.reported', data: violation });
    }
    const others = [...touched.violations].filter((id) => !touched.reported.has(id));
    if (others.length > 0) {
      const rows = await violationLevels(this.pool, others);
      const changes = watch
        ? watch.levelChanges(rows)
        : rows.map((row) => ({ ...row, previousVerification: null }));
      for (const data of changes) messages.push({ event: 'violation.level', data });
    }
    return messages;
  }

  private async complianceMessage(agreementId: string): Promise<LiveMessage[]> {
    const compliance = await getCompliance(this.pool, agreementId, new Date());
    return compliance ? [{ event: 'compliance', data: compliance }] : [];
  }

  private async watchOf(agreementId: string): Promise<AgreementWatch> {
    const existing = this.watches.get(agreementId);
    if (existing) return existing;
    const baseline = await liveBaseline(this.pool, agreementId);
    // A projection may have applied events the loop has not passed yet: its rows already show
    // changes no stream has been sent. Whatever those events touched starts with no known state,
    // so the tick that passes them sends it (for an obligation or agreement event, every
    // obligation: one event can move several statuses).
    let obligations = baseline.obligations;
    const ahead =
      comparePositions(baseline.obligationsAt, baseline.violationsAt) > 0
        ? baseline.obligationsAt
        : baseline.violationsAt;
    if (comparePositions(ahead, this.position) > 0) {
      for await (const event of this.eventsOf([agreementId], this.position, ahead)) {
        if (event.violationId === null) {
          if (comparePositions(event.position, baseline.obligationsAt) <= 0) obligations = [];
        } else if (comparePositions(event.position, baseline.violationsAt) <= 0) {
          baseline.levels.delete(event.violationId);
        }
      }
    }
    const watch = new AgreementWatch(agreementId, obligations, baseline.levels);
    this.watches.set(agreementId, watch);
    return watch;
  }
}
