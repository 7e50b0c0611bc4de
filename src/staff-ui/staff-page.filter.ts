import { ArgumentsHost, Catch, ExceptionFilter, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';

/** On staff pages an anonymous visitor is sent to sign in rather than shown a JSON 401. */
@Catch(UnauthorizedException)
export class StaffPageFilter implements ExceptionFilter {
  catch(_exception: UnauthorizedException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, '/staff/login');
  }
}
