import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { SESSION_IDLE_HOURS, StaffAuthService } from '../auth/staff-auth.service';
import { StaffSignInService } from '../auth/staff-sign-in.service';

/** Server-rendered sign-in and sign-out for the staff UI; sign-in lands on the queue (StaffPagesController). */
@Controller('staff')
export class StaffLoginController {
  constructor(
    private readonly auth: StaffAuthService,
    private readonly signIn: StaffSignInService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get('login')
  show(@Req() req: Request, @Res() res: Response): void {
    this.render(req, res, 200, {});
  }

  @Post('login')
  async login(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const fields = (body ?? {}) as Record<string, unknown>;
    const email = typeof fields.email === 'string' ? fields.email.slice(0, 254) : '';
    const password = typeof fields.password === 'string' ? fields.password.slice(0, 1024) : '';
    if (!verifyCsrfToken(req, fields._csrf, this.app.secret)) {
      return this.render(req, res, 403, {
        email,
        error: 'Your session expired or the form came from another site. Please sign in again.',
      });
    }
    const result = await this.signIn.signIn(email, password, req.ip);
    if (result.outcome === 'wait') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return this.render(req, res, 429, {
        email,
        error: `Too many failed sign-ins. Please try again in ${waitText(result.retryAfterSeconds)}.`,
      });
    }
    if (result.outcome === 'refused') {
      return this.render(req, res, 401, { email, error: 'The email address or password is not right.' });
    }
    res.cookie(SESSION_COOKIE, result.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_IDLE_HOURS * 3_600_000,
    });
    res.redirect(303, '/staff');
  }

  @Post('logout')
  async logout(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const csrf = (body as Record<string, unknown> | undefined)?._csrf;
    if (!verifyCsrfToken(req, csrf, this.app.secret)) {
      return this.render(req, res, 403, { error: 'The sign-out form came from another site or expired.' });
    }
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await this.auth.endSession(token);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.redirect(303, '/staff/login');
  }

  private render(req: Request, res: Response, status: number, context: { email?: string; error?: string }): void {
    res
      .status(status)
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .send(
        this.templates.page('login', { site: this.app, csrf: issueCsrfToken(req, res, this.app.secret), ...context }),
      );
  }
}

function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
