import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { TriageModule } from '../triage/triage.module';
import { AdminPagesController } from './admin-pages.controller';
import { StaffLoginController } from './staff-login.controller';
import { StaffPagesController } from './staff-pages.controller';

/**
 * Every server-rendered staff page: sign-in, the queue and case pages, the admin page. The queue dashboard is an
 * Express mount (queue-dashboard.ts, mounted by http-app.ts) behind the same session.
 */
@Module({
  imports: [TriageModule, AgenciesModule],
  controllers: [StaffLoginController, StaffPagesController, AdminPagesController],
})
export class StaffUiModule {}
