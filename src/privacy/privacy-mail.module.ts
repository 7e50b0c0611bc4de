import { Module } from '@nestjs/common';
import { MailTransport } from '../core/mail/mail-transport';
import { QueueModule } from '../core/queue/queue.module';
import { PrivacyMailProcessor } from './privacy-mail.processor';
import { PrivacyMailService } from './privacy-mail.service';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/** The worker side of privacy requests: their mails, one job each, rendered at send time. */
@Module({
  imports: [QueueModule],
  providers: [MailTransport, PrivacyRequestsRepository, PrivacyMailService, PrivacyMailProcessor],
})
export class PrivacyMailModule {}
