import { Module } from '@nestjs/common';
import { StaffApiController } from './staff-api.controller';
import { StaffAuthService } from './staff-auth.service';
import { StaffLoginController } from './staff-login.controller';
import { StaffGuard } from './staff.guard';

/** Staff accounts, sign-in, sessions, API tokens, and the guard other modules put on staff routes. */
@Module({
  controllers: [StaffLoginController, StaffApiController],
  providers: [StaffAuthService, StaffGuard],
  exports: [StaffAuthService, StaffGuard],
})
export class AuthModule {}
