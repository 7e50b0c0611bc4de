import { Module } from '@nestjs/common';
import { type MailConfig, mailConfig } from '../core/config';
import { QueueModule } from '../core/queue/queue.module';
import { CounterNoticeIntakeModule } from '../counter-notices/counter-notice-intake.module';
import { NoticeIntakeModule } from '../notices/notice-intake.module';
import { RetractionModule } from '../takedowns/retraction.module';
import { cachingResolver } from './dns-cache';
import { ImapPollerService } from './imap-poller.service';
import { InboundParserService } from './inbound-parser.service';
import { InboundProcessor } from './inbound.processor';
import { InboundStoreService } from './inbound-store.service';
import { MAIL_DNS_RESOLVER, SenderAuthService, systemResolver } from './sender-auth.service';
import { SmtpListenerService } from './smtp-listener.service';

/** The worker side of email intake: SMTP listener, IMAP poller, and parsing stored messages into notices. */
@Module({
  imports: [QueueModule, NoticeIntakeModule, CounterNoticeIntakeModule, RetractionModule],
  providers: [
    InboundStoreService,
    InboundParserService,
    InboundProcessor,
    SenderAuthService,
    SmtpListenerService,
    ImapPollerService,
    {
      provide: MAIL_DNS_RESOLVER,
      inject: [mailConfig.KEY],
      useFactory: (mail: MailConfig) => cachingResolver(systemResolver, mail.parsing.dns),
    },
  ],
})
export class EmailIntakeModule {}
