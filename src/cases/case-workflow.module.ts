import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LettersModule } from '../letters/letters.module';
import { LinksModule } from '../links/links.module';
import { SiteModule } from '../site/site.module';
import { CaseDetailService } from './case-detail.service';
import { CaseQueueService } from './case-queue.service';
import { CaseTransitionsService } from './case-transitions.service';
import { ReasonTemplatesService } from './reason-templates.service';
import { TriageController } from './triage.controller';
import { TriageService } from './triage.service';

/** The enforced case workflow and triage: the staff API, and the services the staff pages call. */
@Module({
  imports: [AuthModule, LettersModule, LinksModule, SiteModule],
  controllers: [TriageController],
  providers: [CaseTransitionsService, TriageService, CaseQueueService, CaseDetailService, ReasonTemplatesService],
  exports: [CaseTransitionsService, TriageService, CaseQueueService, CaseDetailService, ReasonTemplatesService],
})
export class CaseWorkflowModule {}
