import { BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { type MailConfig, mailConfig } from '../config';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets, as the header carries it. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
}

/** How long a shutdown waits for deliveries in flight before it abandons them (they are retried elsewhere). */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Nodemailer over SMTP_URL, pooled. Small on purpose: a test can provide a fake in its place. A shutdown lets
 * deliveries in flight finish for a moment, then aborts them, so a stalling server cannot hold the worker open: the
 * grace starts with the shutdown's first step (while the queue workers wait for their jobs, a send among them) and
 * the pool closes once they are done.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transport;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private grace: NodeJS.Timeout | undefined;

  constructor(@Inject(mailConfig.KEY) config: MailConfig) {
    this.transport = createTransport({
      pool: true,
      url: config.smtpUrl,
      maxConnections: 5,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const sending = this.transport.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references?.length ? mail.references : undefined,
      headers: mail.headers,
      signal: this.abort.signal,
    });
    this.inFlight.add(sending);
    try {
      const info = await sending;
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(addressOf),
        rejected: info.rejected.map(addressOf),
        response: info.response,
      };
    } finally {
      this.inFlight.delete(sending);
    }
  }

  onModuleDestroy(): void {
    this.grace = setTimeout(() => {
      if (this.inFlight.size === 0) return;
      this.logger.warn(`Abandoning ${this.inFlight.size} delivery(ies) in flight; their jobs will retry`);
      this.abort.abort(new Error('The worker is shutting down'));
    }, SHUTDOWN_GRACE_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    clearTimeout(this.grace);
    this.transport.close();
  }
}

function addressOf(a: string | { address: string }): string {
  return typeof a === 'string' ? a : a.address;
}
