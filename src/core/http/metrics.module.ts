import { Module } from '@nestjs/common';
import { MetricsController, MetricsGuard } from './metrics.controller';
import { MetricsPortService } from './metrics-port.service';
import { MetricsService } from './metrics.service';
import { QueueDashboardModule } from './queue-dashboard.module';

/**
 * GET /metrics for Prometheus, computed from Postgres and (for the queue depths) Redis on each scrape: on the API's
 * port, behind METRICS_TOKEN when set, or on METRICS_PORT alone.
 */
@Module({
  imports: [QueueDashboardModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsGuard, MetricsPortService],
})
export class MetricsModule {}
