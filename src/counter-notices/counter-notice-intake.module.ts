import { Module } from '@nestjs/common';
import { LettersModule } from '../letters/letters.module';
import { NoticeIntakeModule } from '../notices/notice-intake.module';
import { CounterNoticesService } from './counter-notices.service';

/** Counter-notices without their HTTP controllers: for the API and for email intake in the worker. */
@Module({
  imports: [NoticeIntakeModule, LettersModule],
  providers: [CounterNoticesService],
  exports: [CounterNoticesService],
})
export class CounterNoticeIntakeModule {}
