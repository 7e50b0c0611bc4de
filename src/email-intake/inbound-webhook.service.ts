import { Inject, Injectable, NotFoundException, PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type MailConfig, mailConfig } from '../core/config';
import { InboundChannel } from './inbound-message.entity';
import { InboundStoreService, type StoredInbound } from './inbound-store.service';
import { headerBlockBytes } from './raw-message';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Mail providers' inbound routes (raw MIME over HTTPS). The message is stored as the SMTP listener stores it;
 * the provider has no SMTP envelope to give, so the bounce check relies on headers (Return-Path, From, report type).
 */
@Injectable()
export class InboundWebhookService {
  constructor(
    private readonly store: InboundStoreService,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** Whether the webhook is on: INBOUND_WEBHOOK_SECRET unset turns it off, and the route then answers 404. */
  get enabled(): boolean {
    return this.config.webhookSecret !== undefined;
  }

  get maxBytes(): number {
    return this.config.listener.maxBytes;
  }

  async accept(raw: Buffer, signature: string | undefined): Promise<StoredInbound> {
    const secret = this.config.webhookSecret;
    if (secret === undefined) throw new NotFoundException();
    const given = SIGNATURE.exec(signature?.trim() ?? '');
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (!given || !timingSafeEqual(Buffer.from(given[1], 'hex'), expected)) {
      throw new UnauthorizedException(
        'X-Inbound-Signature must be sha256=<hex HMAC-SHA256 of the raw body under the shared secret>.',
      );
    }
    const { maxHeaderBytes } = this.config.listener;
    const headerBytes = headerBlockBytes(raw);
    if (headerBytes > maxHeaderBytes) {
      throw new PayloadTooLargeException(
        `The message's header block (${headerBytes} bytes) is over the limit of ${maxHeaderBytes} bytes (INBOUND_MAX_HEADER_BYTES).`,
      );
    }
    return this.store.store(InboundChannel.Webhook, raw, { from: null, to: [] });
  }
}
