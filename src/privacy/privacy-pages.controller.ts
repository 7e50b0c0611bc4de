import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppConfig, appConfig, type PrivacyConfig, privacyConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { RateLimiter } from '../core/http/rate-limiter';
import { TemplateRenderer } from '../core/templates/template-renderer';
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

const CSRF_REFUSED = 'Your session expired or the form came from another site. Please send it again.';

/**
 * The public privacy pages: the notice (generated from the settings), the request form, the confirmation link's
 * page (opening it changes nothing, as mail scanners open links; its button confirms), and the access export.
 * Nothing on them says whether an address is known before its owner has proved it.
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
  notice(@Res() res: Response): void {
    this.send(res, 200, 'privacy-notice', { notice: privacyNoticeView(this.app, this.privacy) });
  }

  @Get('request')
  form(@Req() req: Request, @Res() res: Response): void {
    this.renderForm(req, res, 200, {}, {});
  }

  @Post('request')
  async submit(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (Number(req.headers['content-length'] ?? 0) > PRIVACY_FORM_MAX_BYTES) {
      const kb = PRIVACY_FORM_MAX_BYTES / 1024;
      return this.renderForm(
        req,
        res,
        413,
        {},
        {},
        `The request is larger than this form takes (${kb} KB). Shorten the details and send it again.`,
      );
    }
    const fields = readPrivacyForm(body);
    if (!verifyCsrfToken(req, (body as Record<string, unknown> | undefined)?._csrf, this.app.secret)) {
      return this.renderForm(req, res, 403, fields, {}, CSRF_REFUSED);
    }
    const wait = this.limiter.hit(req.ip ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.renderForm(
        req,
        res,
        429,
        fields,
        {},
        `Too many requests from your address. Please try again in ${wait} seconds.`,
      );
    }
    const errors = validatePrivacyForm(fields);
    if (Object.keys(errors).length > 0) {
      return this.renderForm(req, res, 400, fields, errors, 'Please correct the fields marked below.');
    }
    const input = privacyRequestFromForm(fields);
    await this.requests.submit(input);
    // The same answer whatever we hold about the address, and whether or not it asked before.
    this.send(res, 200, 'privacy-request-received', {
      minor: input.minor,
      linkHours: this.privacy.requests.linkHours,
      minorHours: this.privacy.requests.minorHours,
      contactEmail: this.contactEmail(),
    });
  }

  @Get('confirm/:token')
  confirmPage(@Param('token') token: string, @Req() req: Request, @Res() res: Response): void {
    this.send(res, 200, 'privacy-confirm', { token, csrf: issueCsrfToken(req, res, this.app.secret) });
  }

  @Post('confirm/:token')
  async confirm(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!verifyCsrfToken(req, (body as Record<string, unknown> | undefined)?._csrf, this.app.secret)) {
      return this.send(res, 403, 'privacy-confirm', {
        token,
        csrf: issueCsrfToken(req, res, this.app.secret),
        summary: 'Your session expired or the form came from another site. Please press the button again.',
      });
    }
    const result = await this.requests.confirm(token);
    switch (result.outcome) {
      case 'invalid':
        return this.send(res, 404, 'privacy-confirm', { invalid: true });
      case 'expired':
        return this.send(res, 410, 'privacy-confirm', { expired: true });
      case 'settled':
        return this.send(res, 409, 'privacy-confirm', { settled: true, contactEmail: this.contactEmail() });
      case 'confirmed':
      case 'already':
        return this.send(res, 200, 'privacy-confirm', {
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
  async exportPage(@Param('token') param: string, @Res() res: Response): Promise<void> {
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
    if (result.outcome !== 'ok') {
      return this.send(res, result.outcome === 'gone' ? 410 : 404, 'privacy-export', { [result.outcome]: true });
    }
    this.send(res, 200, 'privacy-export', {
      data: result.data,
      expiresAt: result.expiresAt,
      jsonPath: `/privacy/export/${token}.json`,
    });
  }

  private renderForm(
    req: Request,
    res: Response,
    status: number,
    values: PrivacyFormFields,
    errors: PrivacyFormErrors,
    summary?: string,
  ): void {
    this.send(res, status, 'privacy-request-form', {
      csrf: issueCsrfToken(req, res, this.app.secret),
      values,
      errors,
      summary,
      limits: { ...PRIVACY_FORM_LIMITS, detailsText: PRIVACY_FORM_LIMITS.details.toLocaleString('en-US') },
    });
  }

  private send(res: Response, status: number, page: string, context: object): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .send(this.templates.page(page, { site: this.app, ...context }));
  }

  private contactEmail(): string {
    return this.privacy.contactEmail ?? this.app.agent.email;
  }
}

const EXPORT_UNAVAILABLE = {
  gone: 'This copy is no longer available: the link has expired, or the data is no longer shown.',
  invalid: 'This link is not valid: use the latest link exactly as it appears in our mail.',
};
