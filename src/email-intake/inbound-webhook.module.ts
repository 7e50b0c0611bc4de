import { Module } from '@nestjs/common';
import { InboundStoreService } from './inbound-store.service';
import { InboundWebhookController } from './inbound-webhook.controller';
import { InboundWebhookService } from './inbound-webhook.service';

/** The HTTP side of email intake: POST /api/v1/inbound/email for mail providers' inbound routes. */
@Module({
  controllers: [InboundWebhookController],
  providers: [InboundStoreService, InboundWebhookService],
})
export class InboundWebhookModule {}
