import { Module } from '@nestjs/common';
import { CasesModule } from './cases/cases.module';
import { CoreModule } from './core/core.module';
import { InboundWebhookModule } from './email-intake/inbound-webhook.module';
import { HealthController } from './core/http/health.controller';
import { LinksModule } from './links/links.module';
import { NoticesModule } from './notices/notices.module';
import { SiteModule } from './site/site.module';

/** The HTTP app. It needs Postgres only: notices are accepted while Redis is down. */
@Module({
  imports: [CoreModule, LinksModule, NoticesModule, CasesModule, SiteModule, InboundWebhookModule],
  controllers: [HealthController],
})
export class AppModule {}
