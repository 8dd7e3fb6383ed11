import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { InfrastructureModule } from '@app/shared';
import { ApiKeysController } from './admin/api-keys/api-keys.controller';
import { ProjectionStatusModule } from './admin/projections/projection-status.module';
import { AgreementsModule } from './agreements/agreements.module';
import { AuditEventsController } from './audit/audit-events.controller';
import { AuditIntegrityController } from './audit/audit-integrity.controller';
import { AuthGuard } from './common/auth/auth.guard';
import { AuthModule } from './common/auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { RateLimitGuard } from './common/rate-limit/rate-limit.guard';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { RequestValidationPipe } from './common/validation/validation.pipe';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { ObligationsModule } from './obligations/obligations.module';
import { ViolationsModule } from './violations/violations.module';

@Module({})
export class AppModule {
  static register(logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(),
        ObservabilityModule.forRoot(logger),
        AuthModule,
        RateLimitModule,
        HealthModule,
        AgreementsModule,
        ObligationsModule,
        ViolationsModule,
        ProjectionStatusModule,
      ],
      controllers: [ApiKeysController, AuditEventsController, AuditIntegrityController],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // Global guards run in this order: the limiter counts requests the AuthGuard refuses.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: RequestValidationPipe },
      ],
    };
  }
}
