import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppConfig, appConfig, type PrivacyConfig, privacyConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { RateLimiter } from '../core/http/rate-limiter';
import { chosenLocale, languageSwitch, type Locale, localeFromAcceptLanguage } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';
import type { SubjectExport } from './erasure.service';
import { privacyNoticeView } from './privacy-notice';
import {
  PRIVACY_FORM_LIMITS,
  PRIVACY_FORM_MAX_BYTES,
  type PrivacyFormErrors,
  type PrivacyFormFields,
  privacyRequestFromForm,
  readPrivacyForm,
  validatePrivacyForm,
} from './privacy-request-form';
import { PrivacyRequestKind } from './privacy-request.entity';
import { PrivacyRequestsService } from './privacy-requests.service';

/**
 * The public privacy pages: the notice (generated from the settings), the request form, the confirmation link's
 * page (opening it changes nothing, as mail scanners open links; its button confirms), and the access export.
 * Nothing on them says whether an address is known before its owner has proved it. Each speaks the language the
 * reader chose (?lang=, kept through a post as a hidden field; our mail's links name the request's), else the
 * browser's, else DEFAULT_LOCALE; a request is stored with its form's language, and its mail is written in it.
 */
@Controller('privacy')
export class PrivacyPagesController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(privacyConfig.KEY) private readonly privacy: PrivacyConfig,
  ) {
    this.limiter = new RateLimiter(app.formRateLimitPerMinute, 60_000);
  }

  @Get()
  notice(@Req() req: Request, @Res() res: Response): void {
    this.send(req, res, this.localeOf(req, req.query.lang), 200, 'privacy-notice', {
      notice: privacyNoticeView(this.app, this.privacy),
    });
  }

  @Get('request')
  form(@Req() req: Request, @Res() res: Response): void {
    this.renderForm(req, res, this.localeOf(req, req.query.lang), 200, {}, {});
  }

  @Post('request')
  async submit(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const posted = body as Record<string, unknown> | undefined;
    const locale = this.localeOf(req, posted?.lang);
    const say = (key: string, values?: Record<string, unknown>) => this.templates.translate(locale, key, values);
    if (Number(req.headers['content-length'] ?? 0) > PRIVACY_FORM_MAX_BYTES) {
      const kb = PRIVACY_FORM_MAX_BYTES / 1024;
      return this.renderForm(req, res, locale, 413, {}, {}, say('privacyForm.tooLarge', { kb }));
    }
    const fields = readPrivacyForm(body);
    if (!verifyCsrfToken(req, posted?._csrf, this.app.secret)) {
      return this.renderForm(req, res, locale, 403, fields, {}, say('privacyForm.expired'));
    }
    const wait = this.limiter.hit(req.ip ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.renderForm(req, res, locale, 429, fields, {}, say('privacyForm.tooMany', { wait }));
    }
    const errors = validatePrivacyForm(fields, say);
    if (Object.keys(errors).length > 0) {
      return this.renderForm(req, res, locale, 400, fields, errors, say('form.correct'));
    }
    const input = privacyRequestFromForm(fields, locale);
    await this.requests.submit(input);
    // The same answer whatever we hold about the address, and whether or not it asked before.
    this.send(req, res, locale, 200, 'privacy-request-received', {
      minor: input.minor,
      linkHours: this.privacy.requests.linkHours,
      minorHours: this.privacy.requests.minorHours,
      contactEmail: this.contactEmail(),
    });
  }

  @Get('confirm/:token')
  confirmPage(@Param('token') token: string, @Req() req: Request, @Res() res: Response): void {
    this.send(req, res, this.localeOf(req, req.query.lang), 200, 'privacy-confirm', {
      token,
      csrf: issueCsrfToken(req, res, this.app.secret),
    });
  }

  @Post('confirm/:token')
  async confirm(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const posted = body as Record<string, unknown> | undefined;
    const locale = this.localeOf(req, posted?.lang);
    const send = (status: number, context: object) => this.send(req, res, locale, status, 'privacy-confirm', context);
    if (!verifyCsrfToken(req, posted?._csrf, this.app.secret)) {
      return send(403, {
        token,
        csrf: issueCsrfToken(req, res, this.app.secret),
        summary: this.templates.translate(locale, 'privacyConfirm.expiredForm'),
      });
    }
    const result = await this.requests.confirm(token);
    switch (result.outcome) {
      case 'invalid':
        return send(404, { invalid: true });
      case 'expired':
        return send(410, { expired: true });
      case 'settled':
        return send(409, { settled: true, contactEmail: this.contactEmail() });
      case 'confirmed':
      case 'already':
        return send(200, {
          confirmed: true,
          access: result.kind === PrivacyRequestKind.Access,
          minor: result.minor,
          linkHours: this.privacy.requests.linkHours,
          dueAt: result.dueAt,
        });
    }
  }

  /** The export as a page; with `.json` at the end of the token, as JSON. */
  @Get('export/:token')
  async exportPage(@Param('token') param: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const json = param.endsWith('.json');
    const token = json ? param.slice(0, -'.json'.length) : param;
    const result = await this.requests.openExport(token, json ? 'json' : 'html');
    res.setHeader('Cache-Control', 'no-store').setHeader('Referrer-Policy', 'no-referrer');
    if (json) {
      if (result.outcome !== 'ok') {
        const status = result.outcome === 'gone' ? 410 : 404;
        res.status(status).json({ statusCode: status, message: EXPORT_UNAVAILABLE[result.outcome] });
        return;
      }
      res.status(200).json(result.data);
      return;
    }
    const locale = this.localeOf(req, req.query.lang);
    if (result.outcome !== 'ok') {
      return this.send(req, res, locale, result.outcome === 'gone' ? 410 : 404, 'privacy-export', {
        [result.outcome]: true,
      });
    }
    this.send(req, res, locale, 200, 'privacy-export', {
      view: this.exportView(result.data, locale),
      expiresAt: result.expiresAt,
      jsonPath: `/privacy/export/${token}.json`,
    });
  }

  /** The language the reader chose, else the browser's, else DEFAULT_LOCALE. */
  private localeOf(req: Request, chosen: unknown): Locale {
    return chosenLocale(chosen, localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale));
  }

  /** The export as its page shows it: roles and field names in the page's language (the JSON keeps the codes). */
  private exportView(data: SubjectExport, locale: Locale): object {
    const say = (key: string, values?: Record<string, unknown>) => this.templates.translate(locale, key, values);
    const word = (group: string, code: string) =>
      this.templates.hasKey(`privacyExport.${group}.${code}`, locale) ? say(`privacyExport.${group}.${code}`) : code;
    const label = (key: string) => {
      const dot = key.indexOf('.');
      return say('privacyExport.fieldOf', {
        role: word('roles', key.slice(0, dot)),
        field: word('fields', key.slice(dot + 1)),
      });
    };
    return {
      email: data.email,
      generatedAt: data.generatedAt,
      cases: data.cases.map((c) => ({
        ...c,
        roles: c.role
          .split(', ')
          .map((role) => word('roles', role))
          .join(say('page.listSeparator')),
        fields: Object.entries(c.data).map(([key, value]) => ({ label: label(key), value })),
      })),
      catalog: data.catalog.map((row) => ({ ...row, field: word('fields', row.field) })),
    };
  }

  private renderForm(
    req: Request,
    res: Response,
    locale: Locale,
    status: number,
    values: PrivacyFormFields,
    errors: PrivacyFormErrors,
    summary?: string,
  ): void {
    this.send(req, res, locale, status, 'privacy-request-form', {
      csrf: issueCsrfToken(req, res, this.app.secret),
      values,
      errors,
      summary,
      limits: { ...PRIVACY_FORM_LIMITS, detailsText: PRIVACY_FORM_LIMITS.details.toLocaleString('en-US') },
    });
  }

  private send(req: Request, res: Response, locale: Locale, status: number, page: string, context: object): void {
    // After a post, the switch opens the page's own address: the typed fields are not put in a link.
    const path = req.method === 'GET' ? req.originalUrl : req.path;
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('Content-Language', locale)
      .setHeader('Vary', 'Accept-Language')
      .send(this.templates.page(page, { site: this.app, locale, languages: languageSwitch(path, locale), ...context }));
  }

  private contactEmail(): string {
    return this.privacy.contactEmail ?? this.app.agent.email;
  }
}

const EXPORT_UNAVAILABLE = {
  gone: 'This copy is no longer available: the link has expired, or the data is no longer shown.',
  invalid: 'This link is not valid: use the latest link exactly as it appears in our mail.',
};
