import { Module } from '@nestjs/common';
import { PrivacyModule } from './privacy.module';
import { PrivacyRequestsRepository } from './privacy-requests.repository';
import { PrivacyRequestsService } from './privacy-requests.service';

/** Requests from the people the data is about, without their HTTP controllers: for the API, the CLI and staff pages. */
@Module({
  imports: [PrivacyModule],
  providers: [PrivacyRequestsRepository, PrivacyRequestsService],
  exports: [PrivacyRequestsService, PrivacyRequestsRepository],
})
export class PrivacyRequestsModule {}
