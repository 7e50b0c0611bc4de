import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { lettersConfig } from '../core/config';
import { MailTransport } from '../core/mail/mail-transport';
import { QueueModule } from '../core/queue/queue.module';
import { LetterSenderService } from './letter-sender.service';
import { MailProcessor } from './mail.processor';

/** Sending recorded letters through SMTP (the worker side of outbound mail): one job per letter. */
@Module({
  imports: [QueueModule, ConfigModule.forFeature(lettersConfig)],
  providers: [MailTransport, LetterSenderService, MailProcessor],
  exports: [LetterSenderService],
})
export class MailModule {}
