import { Module } from '@nestjs/common';
import { MailTransport } from '../core/mail/mail-transport';
import { QueueModule } from '../core/queue/queue.module';
import { PrivacyMailService } from './privacy-mail.service';
import { PrivacyRequestsRepository } from './privacy-requests.repository';
import { PrivacyProcessor } from './privacy.processor';
import { RetentionSchedulerService } from './retention-scheduler.service';
import { RetentionModule } from './retention.module';

/**
 * The worker side of personal data: the privacy queue's processor, the nightly retention schedule that feeds it,
 * and the privacy requests' mails, one job each, rendered at send time.
 */
@Module({
  imports: [QueueModule, RetentionModule],
  providers: [
    MailTransport,
    PrivacyRequestsRepository,
    PrivacyMailService,
    PrivacyProcessor,
    RetentionSchedulerService,
  ],
})
export class PrivacyWorkerModule {}
