import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { InfrastructureModule } from '@app/shared';
import { ApiKeysController } from './admin/api-keys/api-keys.controller';
import { ProjectionStatusModule } from './admin/projections/projection-status.module';
import { AgreementsModule } from './agreements/agreements.module';
import { AuditEventsController } from './audit/audit-events.controller';
import { AuditIntegrityController } from './audit/audit-integrity.controller';
import { AuthGuard } from './common/auth/auth.guard';
import { AuthModule } from './common/auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { RequestValidationPipe } from './common/validation/validation.pipe';
import { HealthModule } from './health/health.module';
import { ObligationsModule } from './obligations/obligations.module';
import { ViolationsModule } from './violations/violations.module';

@Module({})
export class AppModule {
  static register(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(),
        AuthModule,
        HealthModule,
        AgreementsModule,
        ObligationsModule,
        ViolationsModule,
        ProjectionStatusModule,
      ],
      controllers: [ApiKeysController, AuditEventsController, AuditIntegrityController],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: RequestValidationPipe },
      ],
    };
  }
}
