import { Module } from '@nestjs/common';
import { FinishedJobs } from '../core/queue/finished-jobs';
import { PrivacyModule } from './privacy.module';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/**
 * The retention schedule: RetentionService and what it needs (erasure, finished jobs in Redis). For the command line
 * and the staff pages as for the worker; the worker's processor and schedule are PrivacyWorkerModule's.
 */
@Module({
  imports: [PrivacyModule],
  providers: [RetentionRepository, RetentionService, FinishedJobs],
  exports: [RetentionService],
})
export class RetentionModule {}
