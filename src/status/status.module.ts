import { Module } from '@nestjs/common';
import { CounterNoticeIntakeModule } from '../counter-notices/counter-notice-intake.module';
import { ComplaintsModule } from '../complaints/complaints.module';
import { StrikesModule } from '../strikes/strikes.module';
import { RetractionModule } from '../takedowns/retraction.module';
import { CaseStatusService } from './case-status.service';
import { ComplaintPagesController } from './complaint-pages.controller';
import { PolicyController } from './policy.controller';
import { StatusController } from './status.controller';
import { UploaderStatusService } from './uploader-status.service';

/** What a sender sees through their private status link: the page and its JSON API. */
@Module({
  imports: [RetractionModule, CounterNoticeIntakeModule, StrikesModule, ComplaintsModule],
  controllers: [StatusController, PolicyController, ComplaintPagesController],
  providers: [CaseStatusService, UploaderStatusService],
  exports: [CaseStatusService],
})
export class StatusModule {}
