import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { chosenLocale, languageSwitch, type Locale, localeFromAcceptLanguage } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { confirmedHash } from './recipient-confirmation';

/**
 * The page a confirmation link opens. Opening it changes nothing (mail scanners open links); the button on it, a
 * CSRF-checked post, confirms the address. In the language the reader chose (?lang=, kept through the post), else
 * the browser's, else DEFAULT_LOCALE.
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
    const locale = this.localeOf(req, req.query.lang);
    if (!confirmedHash(this.app.secret, token)) return this.render(req, res, locale, 404, { invalid: true });
    this.render(req, res, locale, 200, { token, csrf: issueCsrfToken(req, res, this.app.secret) });
  }

  @Post(':token')
  async confirm(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const posted = body as Record<string, unknown> | undefined;
    const locale = this.localeOf(req, posted?.lang);
    const hash = confirmedHash(this.app.secret, token);
    if (!hash) return this.render(req, res, locale, 404, { invalid: true });
    if (!verifyCsrfToken(req, posted?._csrf, this.app.secret)) {
      return this.render(req, res, locale, 403, {
        token,
        csrf: issueCsrfToken(req, res, this.app.secret),
        summary: this.templates.translate(locale, 'confirmAddress.expired'),
      });
    }
    await this.dataSource.query(
      `INSERT INTO confirmed_recipients (recipient_hash) VALUES ($1) ON CONFLICT (recipient_hash) DO NOTHING`,
      [hash],
    );
    this.render(req, res, locale, 200, { confirmed: true });
  }

  /** The language the reader chose, else the browser's, else DEFAULT_LOCALE. */
  private localeOf(req: Request, chosen: unknown): Locale {
    return chosenLocale(chosen, localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale));
  }

  private render(req: Request, res: Response, locale: Locale, status: number, context: object): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Content-Language', locale)
      .setHeader('Vary', 'Accept-Language')
      .send(
        this.templates.page('confirm-address', {
          site: this.app,
          locale,
          languages: languageSwitch(req.path, locale),
          ...context,
        }),
      );
  }
}
