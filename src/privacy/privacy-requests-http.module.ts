import { Module } from '@nestjs/common';
import { PrivacyPagesController } from './privacy-pages.controller';
import { PrivacyRequestsModule } from './privacy-requests.module';
import { PrivacyRequestsController } from './privacy-requests.controller';

/** Privacy requests over HTTP: the public notice, form, confirmation and export pages, and staff's JSON API. */
@Module({
  imports: [PrivacyRequestsModule],
  controllers: [PrivacyPagesController, PrivacyRequestsController],
})
export class PrivacyRequestsHttpModule {}
