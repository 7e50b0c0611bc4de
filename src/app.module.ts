import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CaseWorkflowModule } from './cases/case-workflow.module';
import { CasesModule } from './cases/cases.module';
import { CoreModule } from './core/core.module';
import { InboundWebhookModule } from './email-intake/inbound-webhook.module';
import { HealthController } from './core/http/health.controller';
import { MetricsModule } from './core/http/metrics.module';
import { QueueDashboardModule } from './core/http/queue-dashboard.module';
import { LinksModule } from './links/links.module';
import { NoticesModule } from './notices/notices.module';
import { SiteModule } from './site/site.module';

/** The HTTP app. Notices need Postgres only and are accepted while Redis is down; the queue dashboard and queue metrics reach Redis when asked. */
@Module({
  imports: [
    CoreModule,
    AuthModule,
    LinksModule,
    NoticesModule,
    CasesModule,
    CaseWorkflowModule,
    SiteModule,
    InboundWebhookModule,
    MetricsModule,
    QueueDashboardModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
