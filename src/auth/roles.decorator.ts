import { SetMetadata } from '@nestjs/common';
import { StaffRole } from './staff-user.entity';

export const ROLES_KEY = 'staff:roles';
export const ANY_STAFF = [StaffRole.Admin, StaffRole.Legal, StaffRole.Viewer];
/** Staff who decide cases (and see the queue dashboard): everyone but viewers. */
export const DECIDERS = [StaffRole.Admin, StaffRole.Legal];

/** The roles that may call a handler guarded by StaffGuard. Without it the guard refuses everyone. */
export const Roles = (...roles: StaffRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
