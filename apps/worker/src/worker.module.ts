import { DynamicModule, Module } from '@nestjs/common';
import { InfrastructureModule } from '@app/shared';
import { CLOCK, systemClock } from './clock';
import { LedgerProcessor } from './ledger/ledger.processor';
import { ObligationsProcessor } from './obligations/obligations.processor';
import { workerLogging } from './observability/worker-logging.module';
import { ProjectionsProcessor } from './projections/projections.processor';
import { ReplaySnapshotsProcessor } from './snapshots/replay-snapshots.processor';

@Module({})
export class WorkerModule {
  static register(): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfrastructureModule.forRoot(), workerLogging()],
      providers: [
        { provide: CLOCK, useValue: systemClock },
        LedgerProcessor,
        ProjectionsProcessor,
        ObligationsProcessor,
        ReplaySnapshotsProcessor,
      ],
    };
  }
}
