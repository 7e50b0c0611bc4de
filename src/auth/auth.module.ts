import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../core/config';
import { LoginThrottle } from './login-throttle';
import { StaffApiController } from './staff-api.controller';
import { StaffAuthService } from './staff-auth.service';
import { StaffSignInService } from './staff-sign-in.service';
import { StaffGuard } from './staff.guard';

/**
 * Staff identity: accounts, sign-in, sessions, API tokens, and the guard other modules put on their routes. Global,
 * so that any HTTP module's controller can use StaffGuard without importing it.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  controllers: [StaffApiController],
  providers: [StaffAuthService, StaffSignInService, LoginThrottle, StaffGuard],
  exports: [StaffAuthService, StaffSignInService, StaffGuard],
})
export class AuthModule {}
