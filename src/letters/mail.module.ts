import { Module } from '@nestjs/common';

/** Sending recorded letters through SMTP (the worker side of outbound mail). */
@Module({})
export class MailModule {}
