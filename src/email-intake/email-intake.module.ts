import { Module } from '@nestjs/common';

/** The worker side of email intake: SMTP listener, IMAP poller, and parsing stored messages into notices. */
@Module({})
export class EmailIntakeModule {}
