import { Module } from '@nestjs/common';
import { CounterNoticeFormController } from './counter-notice-form.controller';
import { CounterNoticeIntakeModule } from './counter-notice-intake.module';
import { CounterNoticesController } from './counter-notices.controller';
import { StaffCounterNoticesController } from './staff-counter-notices.controller';

/** Counter-notices over HTTP: filing one, its sender's status link, the complainant's suit notice, staff actions. */
@Module({
  imports: [CounterNoticeIntakeModule],
  controllers: [CounterNoticesController, StaffCounterNoticesController, CounterNoticeFormController],
})
export class CounterNoticesModule {}
