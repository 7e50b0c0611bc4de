import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MetricsConfig, metricsConfig } from '../config';
import { messageOf } from '../error-message';
import { bearerAllowed } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * METRICS_PORT: /metrics on a listener of its own, so that the scraper reaches it on a private network and the
 * public port does not serve it. METRICS_TOKEN still applies there when set.
 */
@Injectable()
export class MetricsPortService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsPortService.name);
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(metricsConfig.KEY) private readonly config: MetricsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.port) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here.\n');
        return;
      }
      try {
        bearerAllowed(req.headers.authorization, this.config.token);
      } catch {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
        return;
      }
      this.metrics.render().then(
        (body) =>
          res
            .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' })
            .end(body),
        (error: unknown) => {
          this.logger.error(`Metrics scrape failed: ${messageOf(error)}`);
          res.writeHead(500, { 'content-type': 'text/plain' }).end('The scrape failed; see the log.\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject).listen(this.config.port!, this.config.host, () => resolve());
    });
    this.logger.log(`Metrics on ${this.config.host}:${(this.server.address() as AddressInfo).port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
