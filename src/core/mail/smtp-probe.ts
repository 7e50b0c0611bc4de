import { Inject, Injectable } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { type MailConfig, mailConfig } from '../config';

/**
 * Whether the server letters go out through (SMTP_URL) answers: a connection of its own, greeting, EHLO, STARTTLS
 * and AUTH as the URL asks, then QUIT, nothing sent. Each step gives up after `timeoutMs`.
 */
@Injectable()
export class SmtpProbe {
  constructor(@Inject(mailConfig.KEY) private readonly config: MailConfig) {}

  async verify(timeoutMs: number): Promise<void> {
    const transport = createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    try {
      await transport.verify();
    } finally {
      transport.close();
    }
  }
}
