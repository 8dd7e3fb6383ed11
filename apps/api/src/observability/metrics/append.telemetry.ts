// What the write path reports of each append: events committed by type, the append's latency by
// outcome, and (at debug) a log line, which carries the request's correlation id like any other.
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Counter, Histogram, Registry } from 'prom-client';
import type { AppendObservation, AppendObserver } from '../../common/writes/command-executor';
import { METRICS_REGISTRY } from './metrics.registry';

/** From a group-committed single event (a few ms) to a write stuck behind a slow database. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

@Injectable()
export class AppendTelemetry implements AppendObserver {
  private readonly appended: Counter<'type'>;
  private readonly latency: Histogram<'outcome'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('appends');
    this.appended = new Counter({
      name: 'ceasefire_events_appended_total',
      help: 'Events committed to the ledger by this process, by event type',
      labelNames: ['type'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'ceasefire_append_duration_seconds',
      help: 'Time of one append (group commit and idempotency record included), by outcome',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  observe({ outcome, seconds, streamId, events }: AppendObservation): void {
    this.latency.observe({ outcome }, seconds);
    if (outcome !== 'committed') return;
    for (const event of events) this.appended.inc({ type: event.type });
    this.logger.debug({ streamId, events: events.length, seconds }, 'events appended');
  }
}
