import { DynamicModule, Module } from '@nestjs/common';
import { InfrastructureModule } from '@app/shared';
import { LedgerProcessor } from './ledger/ledger.processor';

@Module({})
export class WorkerModule {
  static register(): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfrastructureModule.forRoot()],
      providers: [LedgerProcessor],
    };
  }
}
