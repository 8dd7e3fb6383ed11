// With METRICS_PORT set, GET /metrics is served on that port (an internal one) and no longer on
// the API's port. A plain node:http server: a scrape needs no auth, validation or JSON.
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { AppConfig } from '@app/shared';
import { METRICS_REGISTRY } from './metrics.registry';

@Injectable()
export class MetricsPortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('metrics');
  private server?: Server;

  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('METRICS_PORT', { infer: true });
    if (!port) return;
    const host = this.config.get('HOST', { infer: true });
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.server = server;
    this.logger.log(`metrics on http://${host}:${port}/metrics`);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(body);
    } catch (err) {
      this.logger.error(`metrics scrape failed: ${(err as Error).message}`);
      res.writeHead(500).end();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // a scraper's keep-alive connection must not hold the stop up
    await closed;
  }
}
