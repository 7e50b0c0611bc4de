import { PrivacyModule } from './privacy/privacy.module';
import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CoreModule } from './core/core.module';
import { LettersModule } from './letters/letters.module';
import { LinksModule } from './links/links.module';
import { PrivacyRequestsModule } from './privacy/privacy-requests.module';
import { RetentionModule } from './privacy/retention.module';
import { SiteModule } from './site/site.module';
import { TriageModule } from './triage/triage.module';

/**
 * What the command line's database commands call, wired as the API wires it: triage (approve-takedowns calls
 * TriageService.approve, as POST /api/v1/staff/cases/:reference/approve does), staff accounts, letters, the site
 * adapter, the catalog import, retention (as the worker's nightly job runs it) and privacy requests (as staff's
 * API does). Booted as an application context: no HTTP server, no queue workers.
 */
@Module({
  imports: [
    CoreModule,
    LinksModule,
    AuthModule,
    LettersModule,
    SiteModule,
    TriageModule,
    PrivacyModule,
    RetentionModule,
    PrivacyRequestsModule,
  ],
})
export class CliModule {}
