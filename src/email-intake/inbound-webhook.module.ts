import { Module } from '@nestjs/common';

/** The HTTP side of email intake: POST /api/v1/inbound/email for mail providers' inbound routes. */
@Module({})
export class InboundWebhookModule {}
