// The API process's compliance cache (libs/projections: ComplianceCache), sized by
// COMPLIANCE_CACHE_ENTRIES, with its lookups counted for /metrics.
import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter, type Registry } from 'prom-client';
import type { Pool } from 'pg';
import { ComplianceCache } from '@app/projections';
import { AppConfig, PG_POOL } from '@app/shared';
import { METRICS_REGISTRY } from '../../observability/metrics/metrics.registry';

export const complianceCacheProvider: Provider = {
  provide: ComplianceCache,
  inject: [PG_POOL, ConfigService, METRICS_REGISTRY],
  useFactory: (pool: Pool, config: ConfigService<AppConfig, true>, registry: Registry) => {
    const lookups = new Counter({
      name: 'ceasefire_compliance_cache_lookups_total',
      help: 'Live compliance reads by this process: served from the cache (hit), computed (miss) or given the computation of another request of the same turn (shared)',
      labelNames: ['result'],
      registers: [registry],
    });
    return new ComplianceCache(pool, {
      entries: config.get('COMPLIANCE_CACHE_ENTRIES', { infer: true }),
      onLookup: (result) => lookups.inc({ result }),
    });
  },
};
