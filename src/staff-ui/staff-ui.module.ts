import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CounterNoticeIntakeModule } from '../counter-notices/counter-notice-intake.module';
import { RetentionModule } from '../privacy/retention.module';
import { PrivacyRequestsModule } from '../privacy/privacy-requests.module';
import { TriageModule } from '../triage/triage.module';
import { AdminPage } from './admin-page';
import { AdminPageActions, AdminPagesController } from './admin-pages.controller';
import { CasePage } from './case-page';
import { CsrfGuard } from './page-action';
import {
  PrivacyRequestPage,
  PrivacyRequestPageActions,
  PrivacyRequestsPagesController,
} from './privacy-requests-pages.controller';
import { StaffLoginController } from './staff-login.controller';
import { CasePageActions, StaffPagesController } from './staff-pages.controller';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { UploaderPage, UploaderPageActions, UploadersPagesController } from './uploaders-pages.controller';
import { StrikesModule } from '../strikes/strikes.module';
import { ComplaintsModule } from '../complaints/complaints.module';
import { CaseComplaintsPagesController } from './case-complaints-pages.controller';
import { NotifiersModule } from '../notifiers/notifiers.module';
import { NotifierPage, NotifierPageActions, NotifiersPagesController } from './notifiers-pages.controller';

/**
 * Every server-rendered staff page: sign-in, the queue and case pages, the admin page. The queue dashboard is an
 * Express mount (queue-dashboard.ts, mounted by http-app.ts) behind the same session.
 */
@Module({
  imports: [
    TriageModule,
    AgenciesModule,
    CounterNoticeIntakeModule,
    PrivacyRequestsModule,
    RetentionModule,
    StrikesModule,
    ComplaintsModule,
    NotifiersModule,
  ],
  controllers: [
    StaffLoginController,
    StaffPagesController,
    AdminPagesController,
    PrivacyRequestsPagesController,
    UploadersPagesController,
    CaseComplaintsPagesController,
    NotifiersPagesController,
  ],
  providers: [
    CasePage,
    AdminPage,
    PrivacyRequestPage,
    CasePageActions,
    AdminPageActions,
    PrivacyRequestPageActions,
    UploaderPage,
    UploaderPageActions,
    NotifierPage,
    NotifierPageActions,
    CsrfGuard,
    StaffPageErrorFilter,
  ],
})
export class StaffUiModule {}
