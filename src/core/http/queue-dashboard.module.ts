import { Module } from '@nestjs/common';
import { QueueDashboardService } from './queue-dashboard.service';

/** The API process's view of the queues: the staff dashboard (mounted by http-app.ts) and the depths in /metrics. */
@Module({ providers: [QueueDashboardService], exports: [QueueDashboardService] })
export class QueueDashboardModule {}
