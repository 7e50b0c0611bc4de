import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CaseTransitionsModule } from '../cases/case-transitions.module';
import { IntakeService } from './intake.service';
import { NoticeFormController } from './notice-form.controller';
import { NoticesController } from './notices.controller';
import { TextAnalysisService } from './text-analysis/text-analysis.service';

@Module({
  imports: [CaseTransitionsModule, AgenciesModule],
  controllers: [NoticesController, NoticeFormController],
  providers: [IntakeService, TextAnalysisService],
  exports: [IntakeService],
})
export class NoticesModule {}
