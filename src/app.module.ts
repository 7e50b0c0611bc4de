import { PrivacyModule } from './privacy/privacy.module';
import { Module } from '@nestjs/common';
import { AgenciesModule } from './agencies/agencies.module';
import { AuthModule } from './auth/auth.module';
import { CoreModule } from './core/core.module';
import { CounterNoticesModule } from './counter-notices/counter-notices.module';
import { InboundWebhookModule } from './email-intake/inbound-webhook.module';
import { HealthModule } from './core/health/health.module';
import { MetricsModule } from './core/http/metrics.module';
import { QueueDashboardModule } from './core/http/queue-dashboard.module';
import { LinksModule } from './links/links.module';
import { NoticesModule } from './notices/notices.module';
import { PrivacyRequestsHttpModule } from './privacy/privacy-requests-http.module';
import { SiteModule } from './site/site.module';
import { StaffUiModule } from './staff-ui/staff-ui.module';
import { StatusModule } from './status/status.module';
import { StrikesHttpModule } from './strikes/strikes-http.module';
import { NotifiersHttpModule } from './notifiers/notifiers-http.module';
import { ComplaintsHttpModule } from './complaints/complaints-http.module';
import { TriageModule } from './triage/triage.module';

/** The HTTP app. Notices need Postgres only and are accepted while Redis is down; the queue dashboard and queue metrics reach Redis when asked. */
@Module({
  imports: [
    PrivacyModule,
    CoreModule,
    AuthModule,
    LinksModule,
    NoticesModule,
    CounterNoticesModule,
    AgenciesModule,
    StatusModule,
    TriageModule,
    StrikesHttpModule,
    NotifiersHttpModule,
    ComplaintsHttpModule,
    PrivacyRequestsHttpModule,
    StaffUiModule,
    SiteModule,
    InboundWebhookModule,
    MetricsModule,
    QueueDashboardModule,
    HealthModule,
  ],
})
export class AppModule {}
