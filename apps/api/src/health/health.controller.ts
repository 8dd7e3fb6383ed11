import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DependencyHealthIndicators } from './health.indicators';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealthIndicators,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: PostgreSQL and Redis answer; otherwise 503 naming the one that does not. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.dependencies.postgres(),
      () => this.dependencies.redisPing(),
    ]);
  }
}
