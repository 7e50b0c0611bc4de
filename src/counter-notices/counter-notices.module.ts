import { Module } from '@nestjs/common';
import { LettersModule } from '../letters/letters.module';
import { NoticeIntakeModule } from '../notices/notice-intake.module';
import { CounterNoticesController } from './counter-notices.controller';
import { COUNTER_NOTICE_CLOCK, CounterNoticesService } from './counter-notices.service';

/** Counter-notices and their 512(g) clock. */
@Module({
  imports: [NoticeIntakeModule, LettersModule],
  controllers: [CounterNoticesController],
  providers: [CounterNoticesService, { provide: COUNTER_NOTICE_CLOCK, useValue: () => new Date() }],
  exports: [CounterNoticesService],
})
export class CounterNoticesModule {}
