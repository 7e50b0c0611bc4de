import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { confirmedHash } from './recipient-confirmation';

/**
 * The page a confirmation link opens. Opening it changes nothing (mail scanners open links); the button on it, a
 * CSRF-checked post, confirms the address.
 */
@Controller('letters/confirm')
export class RecipientConfirmationController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get(':token')
  show(@Param('token') token: string, @Req() req: Request, @Res() res: Response): void {
    if (!confirmedHash(this.app.secret, token)) return this.render(res, 404, { invalid: true });
    this.render(res, 200, { token, csrf: issueCsrfToken(req, res, this.app.secret) });
  }

  @Post(':token')
  async confirm(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const hash = confirmedHash(this.app.secret, token);
    if (!hash) return this.render(res, 404, { invalid: true });
    if (!verifyCsrfToken(req, (body as Record<string, unknown> | undefined)?._csrf, this.app.secret)) {
      return this.render(res, 403, {
        token,
        csrf: issueCsrfToken(req, res, this.app.secret),
        summary: 'Your session expired or the form came from another site. Please press the button again.',
      });
    }
    await this.dataSource.query(
      `INSERT INTO confirmed_recipients (recipient_hash) VALUES ($1) ON CONFLICT (recipient_hash) DO NOTHING`,
      [hash],
    );
    this.render(res, 200, { confirmed: true });
  }

  private render(res: Response, status: number, context: object): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .send(this.templates.page('confirm-address', { site: this.app, ...context }));
  }
}
