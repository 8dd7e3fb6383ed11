import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { AppConfig } from '@app/shared';
import { ApiError } from '../../common/api-error';
import { Public } from '../../common/auth/roles';
import { METRICS_REGISTRY } from './metrics.registry';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (on METRICS_PORT instead, when that is set)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.config.get('METRICS_PORT', { infer: true })) {
      throw new ApiError('NOT_FOUND', 'metrics are not served on this port');
    }
    void reply.header('Content-Type', this.registry.contentType);
    return this.registry.metrics();
  }
}
