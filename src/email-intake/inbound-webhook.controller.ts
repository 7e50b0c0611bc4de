import { Controller, Headers, HttpCode, HttpStatus, NotFoundException, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { InboundStatus } from './inbound-message.entity';
import { InboundWebhookService } from './inbound-webhook.service';
import { readRawBody } from './raw-body';

@Controller('api/v1/inbound')
export class InboundWebhookController {
  constructor(private readonly webhook: InboundWebhookService) {}

  /** 202 once the raw message is stored; the worker parses it afterwards. */
  @Post('email')
  @HttpCode(HttpStatus.ACCEPTED)
  async email(
    @Req() req: Request,
    @Headers('x-inbound-signature') signature: string | undefined,
  ): Promise<{ id: string; status: InboundStatus }> {
    if (!this.webhook.enabled) throw new NotFoundException();
    const raw = await readRawBody(req, this.webhook.maxBytes);
    const stored = await this.webhook.accept(raw, signature);
    return { id: stored.id, status: stored.status };
  }
}
