import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppConfig, appConfig, type IntakeConfig, intakeConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { RateLimiter } from '../core/http/rate-limiter';
import { chosenLocale, languageSwitch, type Locale, localeFromAcceptLanguage } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { NoticeTooLargeError } from './intake.errors';
import { IntakeService } from './intake.service';
import { NoticeChannel } from '../cases/notice.entity';
import { PRIVACY_NOTICE_VERSION } from './privacy-notice';
import { type FormErrors, type NoticeFormFields, readForm, structuredFromForm, validateForm } from './notice-form';

/**
 * The public, server-rendered notice form. Works without JavaScript. It speaks the browser's language (Accept-Language)
 * unless the reader picks another (?lang=, kept through the post as a hidden field); the notice is stored in it.
 */
@Controller('notices')
export class NoticeFormController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly intake: IntakeService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(intakeConfig.KEY) private readonly limits: IntakeConfig,
  ) {
    this.limiter = new RateLimiter(app.formRateLimitPerMinute, 60_000);
  }

  @Get('new')
  show(@Req() req: Request, @Res() res: Response): void {
    this.render(req, res, this.localeOf(req, req.query.lang), 200, { role: 'owner' }, {});
  }

  @Post()
  async submit(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const fields = readForm(body);
    const posted = body as Record<string, unknown> | undefined;
    const locale = this.localeOf(req, posted?.lang);
    const say = (key: string, values?: Record<string, unknown>) => this.templates.translate(locale, key, values);
    if (!verifyCsrfToken(req, posted?._csrf, this.app.secret)) {
      return this.render(req, res, locale, 403, fields, {}, say('form.expired'));
    }
    const wait = this.limiter.hit(req.ip ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.render(req, res, locale, 429, fields, {}, say('form.tooMany', { wait }));
    }
    const errors = validateForm(fields, this.limits.maxUrls, say);
    if (Object.keys(errors).length > 0) {
      return this.render(req, res, locale, 400, fields, errors, say('form.correct'));
    }
    try {
      const { response } = await this.intake.receive({
        channel: NoticeChannel.Form,
        structured: structuredFromForm(fields),
        consent: { privacyNotice: PRIVACY_NOTICE_VERSION },
        language: locale,
      });
      res.redirect(303, new URL(response.statusUrl).pathname);
    } catch (error) {
      if (!(error instanceof NoticeTooLargeError)) throw error;
      this.render(req, res, locale, 413, fields, { infringingUrls: error.message }, say('form.correct'));
    }
  }

  /** The language the reader chose, else the browser's, else DEFAULT_LOCALE. */
  private localeOf(req: Request, chosen: unknown): Locale {
    return chosenLocale(chosen, localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale));
  }

  private render(
    req: Request,
    res: Response,
    locale: Locale,
    status: number,
    values: NoticeFormFields,
    errors: FormErrors,
    summary?: string,
  ): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Content-Language', locale)
      .setHeader('Vary', 'Accept-Language')
      .send(
        this.templates.page('notice-form', {
          locale,
          languages: languageSwitch('/notices/new', locale),
          site: this.app,
          csrf: issueCsrfToken(req, res, this.app.secret),
          values,
          errors,
          summary,
          maxUrls: this.limits.maxUrls,
          isAgent: values.role === 'agent',
          privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
        }),
      );
  }
}
