import { Module } from '@nestjs/common';
import { AgenciesController } from './agencies.controller';
import { AgencyCasesController } from './agency-cases.controller';
import { AgencyCasesService } from './agency-cases.service';
import { AgencyKeysService } from './agency-keys.service';
import { AgencyGuard, OptionalAgencyGuard } from './agency.guard';

/**
 * Agencies: their keys (made and revoked by admins), the guard that files a notice for the key's agency, and the
 * read-only API through which an agency follows its own cases.
 */
@Module({
  controllers: [AgenciesController, AgencyCasesController],
  providers: [AgencyKeysService, AgencyCasesService, AgencyGuard, OptionalAgencyGuard],
  exports: [AgencyKeysService, AgencyGuard, OptionalAgencyGuard],
})
export class AgenciesModule {}
