import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../core/config';
import { AgenciesController } from './agencies.controller';
import { AgencyCasesController } from './agency-cases.controller';
import { AgencyCasesService } from './agency-cases.service';
import { AgencyKeysService } from './agency-keys.service';
import { AgencyGuard, OptionalAgencyGuard } from './agency.guard';
import { LoginThrottle } from './login-throttle';
import { StaffApiController } from './staff-api.controller';
import { StaffAuthService } from './staff-auth.service';
import { StaffLoginController } from './staff-login.controller';
import { StaffSignInService } from './staff-sign-in.service';
import { StaffGuard } from './staff.guard';

/**
 * Staff accounts, sign-in, sessions, API tokens; agencies and their keys; and the guards other modules put on their
 * routes. Global, so that any HTTP module's controller can use StaffGuard or AgencyGuard without importing it.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  controllers: [StaffLoginController, StaffApiController, AgenciesController, AgencyCasesController],
  providers: [
    StaffAuthService,
    StaffSignInService,
    LoginThrottle,
    StaffGuard,
    AgencyKeysService,
    AgencyCasesService,
    AgencyGuard,
    OptionalAgencyGuard,
  ],
  exports: [StaffAuthService, StaffGuard, AgencyKeysService, AgencyGuard, OptionalAgencyGuard],
})
export class AuthModule {}
