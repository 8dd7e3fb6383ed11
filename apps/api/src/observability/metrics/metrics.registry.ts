// Each app instance has its own registry (tests create several apps in one process), holding
// prom-client's default process and Node.js metrics besides ours.
import { Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export const metricsRegistryProvider: Provider = {
  provide: METRICS_REGISTRY,
  useFactory: () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    return registry;
  },
};
