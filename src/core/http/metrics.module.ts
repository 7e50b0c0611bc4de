import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QueueDashboardModule } from './queue-dashboard.module';

/** GET /metrics for Prometheus, computed from Postgres and (for the queue depths) Redis on each scrape. */
@Module({ imports: [QueueDashboardModule], controllers: [MetricsController], providers: [MetricsService] })
export class MetricsModule {}
