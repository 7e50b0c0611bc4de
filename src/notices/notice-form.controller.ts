import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppConfig, appConfig, type IntakeConfig, intakeConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { RateLimiter } from '../core/http/rate-limiter';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { NoticeTooLargeError } from './intake.errors';
import { IntakeService } from './intake.service';
import { NoticeChannel } from '../cases/notice.entity';
import { PRIVACY_NOTICE_VERSION } from './privacy-notice';
import { type FormErrors, type NoticeFormFields, readForm, structuredFromForm, validateForm } from './notice-form';

/** The public, server-rendered notice form. Works without JavaScript. */
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
    this.render(req, res, 200, { role: 'owner' }, {});
  }

  @Post()
  async submit(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const fields = readForm(body);
    if (!verifyCsrfToken(req, (body as Record<string, unknown> | undefined)?._csrf, this.app.secret)) {
      return this.render(
        req,
        res,
        403,
        fields,
        {},
        'Your session expired or the form came from another site. Please submit it again.',
      );
    }
    const wait = this.limiter.hit(req.ip ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.render(
        req,
        res,
        429,
        fields,
        {},
        `Too many notices from your address. Please try again in ${wait} seconds.`,
      );
    }
    const errors = validateForm(fields, this.limits.maxUrls);
    if (Object.keys(errors).length > 0) {
      return this.render(req, res, 400, fields, errors, 'Please correct the fields marked below.');
    }
    try {
      const { response } = await this.intake.receive({
        channel: NoticeChannel.Form,
        structured: structuredFromForm(fields),
        consent: { privacyNotice: PRIVACY_NOTICE_VERSION },
      });
      res.redirect(303, new URL(response.statusUrl).pathname);
    } catch (error) {
      if (!(error instanceof NoticeTooLargeError)) throw error;
      this.render(req, res, 413, fields, { infringingUrls: error.message }, 'Please correct the fields marked below.');
    }
  }

  private render(
    req: Request,
    res: Response,
    status: number,
    values: NoticeFormFields,
    errors: FormErrors,
    summary?: string,
  ): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .send(
        this.templates.page('notice-form', {
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
