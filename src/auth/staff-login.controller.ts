import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { readCookie, SESSION_COOKIE } from './cookies';
import { LoginThrottle } from './login-throttle';
import { normaliseEmail, SESSION_IDLE_HOURS, StaffAuthService } from './staff-auth.service';

/** Failed sign-ins allowed per client address and per email address in each window. */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Server-rendered sign-in and sign-out for the staff UI; sign-in lands on the queue (StaffPagesController). */
@Controller('staff')
export class StaffLoginController {
  private readonly throttle = new LoginThrottle(LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS);

  constructor(
    private readonly auth: StaffAuthService,
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
    const keys = [`ip:${req.ip ?? 'unknown'}`, `email:${normaliseEmail(email)}`];
    const wait = this.throttle.retryAfter(keys);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.render(req, res, 429, {
        email,
        error: `Too many failed sign-ins. Please try again in ${Math.ceil(wait / 60)} minute(s).`,
      });
    }
    const user = email && password ? await this.auth.verifyLogin(email, password) : null;
    if (!user) {
      this.throttle.recordFailure(keys);
      return this.render(req, res, 401, { email, error: 'The email address or password is not right.' });
    }
    const token = await this.auth.createSession(user.id);
    res.cookie(SESSION_COOKIE, token, {
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
