// Logs, metrics and the queue board of the HTTP app.
import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APPEND_OBSERVER } from '../common/writes/command-executor';
import { ApiLoggingModule } from './logging/api-logging.module';
import { AppendTelemetry } from './metrics/append.telemetry';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsPortServer } from './metrics/metrics-port.server';
import { METRICS_REGISTRY, metricsRegistryProvider } from './metrics/metrics.registry';
import { ScrapeGauges } from './metrics/scrape-gauges';
import { MonitoredQueues } from './queues/monitored-queues';
import { QueueBoard } from './queues/queue-board';

@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: ObservabilityModule,
      // Global: the write path (WritesModule) reports its appends to APPEND_OBSERVER, the admin
      // job endpoints use the same queue handles as the metrics and the board, and the reads
      // register their own metrics (the compliance cache's lookups) in the registry.
      global: true,
      imports: [ApiLoggingModule.forRoot(logger)],
      controllers: [MetricsController],
      providers: [
        metricsRegistryProvider,
        AppendTelemetry,
        { provide: APPEND_OBSERVER, useExisting: AppendTelemetry },
        MonitoredQueues,
        ScrapeGauges,
        MetricsPortServer,
        QueueBoard,
      ],
      exports: [APPEND_OBSERVER, MonitoredQueues, METRICS_REGISTRY],
    };
  }
}
