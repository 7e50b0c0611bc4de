import { Module } from '@nestjs/common';
import { CaseTransitionsModule } from '../cases/case-transitions.module';
import { LettersModule } from '../letters/letters.module';
import { LinksModule } from '../links/links.module';
import { SiteModule } from '../site/site.module';
import { RetractionModule } from '../takedowns/retraction.module';
import { CaseDetailService } from './case-detail.service';
import { CaseQueueService } from './case-queue.service';
import { LegalHoldsController } from './legal-holds.controller';
import { LegalHoldsService } from './legal-holds.service';
import { ReasonTemplatesService } from './reason-templates.service';
import { TriageController } from './triage.controller';
import { TriageService } from './triage.service';

/** Staff's work on cases: the triage service, its JSON API, legal holds, and the queue and case-detail read models. */
@Module({
  imports: [LettersModule, LinksModule, SiteModule, CaseTransitionsModule, RetractionModule],
  controllers: [TriageController, LegalHoldsController],
  providers: [TriageService, CaseQueueService, CaseDetailService, ReasonTemplatesService, LegalHoldsService],
  exports: [
    CaseTransitionsModule,
    TriageService,
    CaseQueueService,
    CaseDetailService,
    ReasonTemplatesService,
    LegalHoldsService,
  ],
})
export class TriageModule {}
