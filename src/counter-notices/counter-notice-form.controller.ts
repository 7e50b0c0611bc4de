import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { NoticeChannel } from '../cases/notice.entity';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { RateLimiter } from '../core/http/rate-limiter';
import { chosenLocale, languageSwitch, type Locale, localeFromAcceptLanguage } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';
import {
  checkCounterNoticeForm,
  counterNoticeFromForm,
  counterNoticeResultView,
  type CounterNoticeFormErrors,
  type CounterNoticeFormFields,
  prefillFromQuery,
  readCounterNoticeForm,
} from './counter-notice-form';
import { type CounterNoticeAnswer, CounterNoticesService } from './counter-notices.service';
import { COUNTER_NOTICE_MAX_TEXT, COUNTER_NOTICE_MAX_URLS } from './dto/create-counter-notice.dto';

/**
 * The public, server-rendered counter-notice form (17 U.S.C. 512(g)(3)). Works without JavaScript. The uploader's
 * letter and the 451 page link here with the case and the removed URLs filled in.
 */
@Controller('counter-notices')
export class CounterNoticeFormController {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly counterNotices: CounterNoticesService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {
    this.limiter = new RateLimiter(app.formRateLimitPerMinute, 60_000);
  }

  /**
   * The counter-notifier's status page, through the link on the result page and in their letters: in the language
   * they choose, else their browser's, else DEFAULT_LOCALE (as their letters).
   */
  @Get('status/:token')
  async status(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await this.counterNotices.byToken(token);
    this.result(req, res, this.localeOf(req, req.query.lang), 200, answer);
  }

  @Get('new')
  show(@Query() query: unknown, @Req() req: Request, @Res() res: Response): void {
    this.render(req, res, this.localeOf(req, req.query.lang), 200, prefillFromQuery(query), {});
  }

  @Post()
  async submit(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const fields = readCounterNoticeForm(body);
    const posted = body as Record<string, unknown> | undefined;
    const locale = this.localeOf(req, posted?.lang);
    const say = (key: string, values?: Record<string, unknown>) => this.templates.translate(locale, key, values);
    if (!verifyCsrfToken(req, posted?._csrf, this.app.secret)) {
      return this.render(req, res, locale, 403, fields, {}, say('form.expired'));
    }
    const wait = this.limiter.hit(req.ip ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.render(req, res, locale, 429, fields, {}, say('counterForm.tooMany', { wait }));
    }
    const dto = counterNoticeFromForm(fields);
    const errors = await checkCounterNoticeForm(fields, dto, say);
    if (Object.keys(errors).length > 0) {
      return this.render(req, res, locale, 400, fields, errors, say('form.correct'));
    }
    try {
      const answer = await this.counterNotices.receive(dto, NoticeChannel.Form);
      this.result(req, res, locale, 201, answer);
    } catch (error) {
      if (!(error instanceof UnprocessableEntityException)) throw error;
      const field = fields.caseReference ? 'caseReference' : 'removedUrls';
      this.render(
        req,
        res,
        locale,
        422,
        fields,
        {
          [field]: fields.caseReference
            ? say('counterForm.noSuchCase', { reference: fields.caseReference })
            : say('counterForm.noneTakenDown'),
        },
        say('counterForm.caseNotFound'),
      );
    }
  }

  /** The language the reader chose, else the browser's, else DEFAULT_LOCALE. */
  private localeOf(req: Request, chosen: unknown): Locale {
    return chosenLocale(chosen, localeFromAcceptLanguage(req.headers['accept-language'], this.app.defaultLocale));
  }

  /** Where the counter-notice stands, in `locale`; its language switch opens its status link. */
  private result(
    req: Request,
    res: Response,
    locale: Locale,
    status: number,
    answer: Omit<CounterNoticeAnswer, 'caseId'>,
  ): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('Content-Language', locale)
      .setHeader('Vary', 'Accept-Language')
      .send(
        this.templates.page('counter-notice-result', {
          site: this.app,
          view: counterNoticeResultView(answer),
          locale,
          languages: languageSwitch(new URL(answer.statusUrl).pathname, locale),
        }),
      );
  }

  private render(
    req: Request,
    res: Response,
    locale: Locale,
    status: number,
    values: CounterNoticeFormFields,
    errors: CounterNoticeFormErrors,
    summary?: string,
  ): void {
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Content-Language', locale)
      .setHeader('Vary', 'Accept-Language')
      .send(
        this.templates.page('counter-notice-form', {
          locale,
          // After a post, the switch opens the empty form: the typed fields are not put in a link.
          languages: languageSwitch(req.method === 'GET' ? req.originalUrl : '/counter-notices/new', locale),
          site: this.app,
          csrf: issueCsrfToken(req, res, this.app.secret),
          values,
          errors,
          summary,
          maxUrls: COUNTER_NOTICE_MAX_URLS,
          maxText: COUNTER_NOTICE_MAX_TEXT.toLocaleString('en-US'),
        }),
      );
  }
}
