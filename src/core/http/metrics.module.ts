import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** GET /metrics for Prometheus, computed from Postgres on each scrape. */
@Module({ controllers: [MetricsController], providers: [MetricsService] })
export class MetricsModule {}
