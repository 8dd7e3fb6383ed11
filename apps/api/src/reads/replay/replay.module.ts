import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { AgreementReplay } from '@app/projections';
import { PG_POOL } from '@app/shared';

/** The as-of replayer, shared by the compliance, obligation and violation reads. */
@Module({
  providers: [
    {
      provide: AgreementReplay,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new AgreementReplay(pool),
    },
  ],
  exports: [AgreementReplay],
})
export class ReplayModule {}
