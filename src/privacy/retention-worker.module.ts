import { Module } from '@nestjs/common';
import { QueueModule } from '../core/queue/queue.module';
import { PrivacyProcessor } from './privacy.processor';
import { RetentionSchedulerService } from './retention-scheduler.service';
import { RetentionModule } from './retention.module';

/** The worker side of retention: the privacy queue's processor and the nightly schedule that feeds it. */
@Module({
  imports: [QueueModule, RetentionModule],
  providers: [PrivacyProcessor, RetentionSchedulerService],
})
export class RetentionWorkerModule {}
