// Gauges computed when Prometheus scrapes: projection lag, BullMQ job counts by state, and the
// oldest open transaction. One scrape reads each source once, whichever gauge asks first; a
// source that cannot be read (PostgreSQL or Redis away, or too slow) leaves its series out (NaN
// for the unlabelled gauge) and shows 0 in ceasefire_metrics_collector_up. It never fails the
// scrape.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge, Registry } from 'prom-client';
import { projectionStatus } from '@app/projections';
import { PG_POOL } from '@app/shared';
import { MonitoredQueues } from '../queues/monitored-queues';
import { METRICS_REGISTRY } from './metrics.registry';
import { boundedRead, oldestOpenTransactionSeconds, queueJobCounts } from './scrape-reads';

@Injectable()
export class ScrapeGauges {
  private readonly lagEvents: Gauge<'projection'>;
  private readonly lagSeconds: Gauge<'projection'>;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly oldestTransaction: Gauge;
  private readonly collectorUp: Gauge<'collector'>;
  /** The read in flight: every gauge of one scrape waits for the same one. */
  private pending: Promise<void> | null = null;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: MonitoredQueues,
  ) {
    const common = { registers: [registry], collect: () => this.refresh() };
    this.lagEvents = new Gauge({
      ...common,
      name: 'ceasefire_projection_lag_events',
      help: 'Committed feed events the projection has not applied yet',
      labelNames: ['projection'],
    });
    this.lagSeconds = new Gauge({
      ...common,
      name: 'ceasefire_projection_lag_seconds',
      help: 'Age of the oldest committed event the projection has not applied yet (0 when caught up)',
      labelNames: ['projection'],
    });
    this.queueJobs = new Gauge({
      ...common,
      name: 'ceasefire_queue_jobs',
      help: 'BullMQ jobs by queue and state (depth: waiting, prioritized; failures: failed)',
      labelNames: ['queue', 'state'],
    });
    this.oldestTransaction = new Gauge({
      ...common,
      name: 'ceasefire_oldest_open_transaction_seconds',
      help: 'Age of the oldest transaction open on the PostgreSQL server (it holds the feed back)',
    });
    this.collectorUp = new Gauge({
      ...common,
      name: 'ceasefire_metrics_collector_up',
      help: '1 when the scrape could read the source of these gauges, else 0',
      labelNames: ['collector'],
    });
  }

  private refresh(): Promise<void> {
    this.pending ??= this.read().finally(() => (this.pending = null));
    return this.pending;
  }

  private async read(): Promise<void> {
    const [lag, jobs, oldest] = await Promise.all([
      boundedRead(projectionStatus(this.pool)),
      queueJobCounts(this.queues.all),
      boundedRead(oldestOpenTransactionSeconds(this.pool)),
    ]);
    // Reset and set in one synchronous step, so that no gauge is read half-way.
    this.lagEvents.reset();
    this.lagSeconds.reset();
    for (const p of lag ?? []) {
      this.lagEvents.set({ projection: p.name }, p.lagEvents);
      this.lagSeconds.set({ projection: p.name }, p.lagSeconds);
    }
    this.queueJobs.reset();
    for (const { queue, counts } of jobs) {
      for (const [state, count] of Object.entries(counts ?? {})) {
        this.queueJobs.set({ queue, state }, count);
      }
    }
    // An unlabelled gauge always has a value: NaN says "unknown", as an absent series would.
    this.oldestTransaction.set(oldest ?? NaN);
    this.collectorUp.set({ collector: 'projection_lag' }, lag ? 1 : 0);
    this.collectorUp.set({ collector: 'queues' }, jobs.every((q) => q.counts) ? 1 : 0);
    this.collectorUp.set({ collector: 'open_transactions' }, oldest === null ? 0 : 1);
  }
}
