import { Module } from '@nestjs/common';
import { AdminPagesController } from '../auth/admin-pages.controller';
import { AuthModule } from '../auth/auth.module';
import { LettersModule } from '../letters/letters.module';
import { LinksModule } from '../links/links.module';
import { SiteModule } from '../site/site.module';
import { CaseDetailService } from './case-detail.service';
import { CaseQueueService } from './case-queue.service';
import { CaseTransitionsModule } from './case-transitions.module';
import { ReasonTemplatesService } from './reason-templates.service';
import { StaffPagesController } from './staff-pages.controller';
import { TriageController } from './triage.controller';
import { TriageService } from './triage.service';

/**
 * The enforced case workflow and triage: the staff API, the staff pages, and the services both call. The admin page
 * (src/auth) is registered here rather than in AuthModule because it also manages reason templates, and AuthModule
 * cannot import this module (this one imports it).
 */
@Module({
  imports: [AuthModule, LettersModule, LinksModule, SiteModule, CaseTransitionsModule],
  controllers: [TriageController, StaffPagesController, AdminPagesController],
  providers: [TriageService, CaseQueueService, CaseDetailService, ReasonTemplatesService],
  exports: [CaseTransitionsModule, TriageService, CaseQueueService, CaseDetailService, ReasonTemplatesService],
})
export class CaseWorkflowModule {}
