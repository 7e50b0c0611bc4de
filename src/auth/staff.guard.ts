import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { readCookie, SESSION_COOKIE } from './cookies';
import { ROLES_KEY } from './roles.decorator';
import { StaffAuthService, type StaffPrincipal } from './staff-auth.service';
import type { StaffRole } from './staff-user.entity';

type StaffRequest = Request & { staff?: StaffPrincipal };

/** Methods an HTML form or a simple cross-site request can use with a body (DELETE needs a CORS preflight). */
const FORM_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Lets a request through when it carries a live session cookie or `Authorization: Bearer tdk_…` token of a staff
 * member whose role the handler's @Roles lists. Anonymous callers get 401 (page controllers turn it into a redirect
 * to the sign-in page in StaffPageErrorFilter), callers with another role 403.
 */
@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    private readonly auth: StaffAuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<StaffRequest>();
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const staff = await this.authenticate(req);
    if (!staff) throw new UnauthorizedException('Sign in, or send an API token as "Authorization: Bearer tdk_…".');
    if (!roles?.includes(staff.role)) throw new ForbiddenException(`The ${staff.role} role may not do this.`);
    req.staff = staff;
    return true;
  }

  private async authenticate(req: StaffRequest): Promise<StaffPrincipal | null> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      return match ? this.auth.verifyApiToken(match[1]) : null;
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (!cookie) return null;
    // A cookie rides along on requests other sites make: an unsafe API call on a cookie alone must be JSON, which a
    // cross-site form cannot send (pages check their own CSRF token instead).
    if (FORM_METHODS.has(req.method) && req.path.startsWith('/api/') && !req.is('application/json')) {
      throw new ForbiddenException('Send JSON, or use an API token.');
    }
    return this.auth.verifySession(cookie);
  }
}

/** The staff member a StaffGuard let through. */
export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  const staff = context.switchToHttp().getRequest<StaffRequest>().staff;
  if (!staff) throw new UnauthorizedException();
  return staff;
});
