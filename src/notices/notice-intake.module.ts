import { Module } from '@nestjs/common';
import { CaseTransitionsModule } from '../cases/case-transitions.module';
import { IntakeService } from './intake.service';
import { NoticeReader } from './notice-reader.service';
import { RevisionsService } from './revisions.service';
import { TextAnalysisService } from './text-analysis/text-analysis.service';

/**
 * Intake without its HTTP controllers: reading a notice, recording a new one, and recording replies and
 * counter-notices to a case. The API (NoticesModule) and email intake (in the worker) both import it.
 */
@Module({
  imports: [CaseTransitionsModule],
  providers: [IntakeService, RevisionsService, NoticeReader, TextAnalysisService],
  exports: [IntakeService, RevisionsService, NoticeReader],
})
export class NoticeIntakeModule {}
