import { Module } from '@nestjs/common';
import { LettersModule } from '../letters/letters.module';
import { NoticeIntakeModule } from '../notices/notice-intake.module';
import { CounterNoticesController } from './counter-notices.controller';
import { CounterNoticesService } from './counter-notices.service';
import { StaffCounterNoticesController } from './staff-counter-notices.controller';

/** Counter-notices and their 512(g) clock. */
@Module({
  imports: [NoticeIntakeModule, LettersModule],
  controllers: [CounterNoticesController, StaffCounterNoticesController],
  providers: [CounterNoticesService],
  exports: [CounterNoticesService],
})
export class CounterNoticesModule {}
