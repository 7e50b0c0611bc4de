import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { CounterNoticesService, SUIT_DOCUMENT_MAX_BYTES } from '../counter-notices/counter-notices.service';
import { SuitDto } from '../counter-notices/dto/counter-notice-actions.dto';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { errorAnswer, messageLine } from '../core/http/error-answer';
import { type AppConfig, appConfig } from '../core/config';
import { chosenLocale, languageSwitch } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { NotInNoticeError, type RetractionResult, RetractionService } from '../takedowns/retraction.service';
import { CounterNoticeTransitionError } from '../cases/counter-notice-workflow';
import { CaseStatusService, type CaseStatusView } from './case-status.service';
import { RetractDto } from './dto/retract.dto';
import { UploaderStatusService, type UploaderStatusView } from './uploader-status.service';

/** A file multer read from a multipart form, as far as this controller reads it. */
interface UploadedComplaint {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}

/** A flash message: its catalog key and values, worded once the page's language is known. */
interface FlashMessage {
  key: string;
  values?: Record<string, unknown>;
}

/** The suit-notice form lacks the court, the docket number or a filing date: the form says what it needs. */
class SuitFormError extends Error {}

/** The sender's view of a case, through the unguessable link in the receipt. */
@Controller()
export class StatusController {
  constructor(
    private readonly status: CaseStatusService,
    private readonly retractions: RetractionService,
    private readonly uploaders: UploaderStatusService,
    private readonly counterNotices: CounterNoticesService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get('status/:token')
  async page(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sendPage(req, res, token, HttpStatus.OK, null);
  }

  /** The status page's retraction form: the ticked links, or none for the whole notice. */
  @Post('status/:token/retract')
  async retractForm(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(req, res, token, body, async () => {
      const urls = ([] as unknown[]).concat(body.urls ?? []).filter((u): u is string => typeof u === 'string');
      const reason = typeof body.reason === 'string' ? body.reason.slice(0, 5_000) : undefined;
      const done = await this.retractions.retractByToken(token, urls.length ? urls : undefined, reason);
      if (!done.changed) return { key: 'status.flash.nothingToRetract' };
      const values = { retracted: done.retractedUrls.length, restored: done.restored.length };
      return { key: done.restored.length ? 'status.flash.retractedRestoring' : 'status.flash.retracted', values };
    });
  }

  /** The status page's suit-notice form, with the complaint filed in court attached (multipart). */
  @Post('status/:token/suit')
  @UseInterceptors(
    FileInterceptor('complaint', { limits: { fileSize: SUIT_DOCUMENT_MAX_BYTES, files: 1, fields: 10 } }),
  )
  async suitForm(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() complaint: UploadedComplaint | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(req, res, token, body, async () => {
      const suit = plainToInstance(SuitDto, {
        court: body.court,
        docketNumber: body.docketNumber,
        filedOn: body.filedOn,
      });
      if ((await validate(suit)).length > 0) throw new SuitFormError();
      const document = complaint
        ? { filename: complaint.originalname, contentType: complaint.mimetype, content: complaint.buffer }
        : undefined;
      await this.counterNotices.recordSuitBySender(token, suit, document);
      return { key: 'status.flash.suitRecorded' };
    });
  }

  /**
   * Checks the form's CSRF token, acts, and shows the page again with what happened (or the refusal), worded in the
   * page's language. A refusal we have no words of our own for is quoted as the service gave it.
   */
  private async act(
    req: Request,
    res: Response,
    token: string,
    body: Record<string, unknown>,
    run: () => Promise<FlashMessage>,
  ): Promise<void> {
    if (!verifyCsrfToken(req, body._csrf, this.app.secret)) {
      return this.sendPage(req, res, token, HttpStatus.FORBIDDEN, { ok: false, key: 'status.flash.expired' });
    }
    try {
      await this.sendPage(req, res, token, HttpStatus.OK, { ok: true, ...(await run()) });
    } catch (error) {
      if (error instanceof SuitFormError) {
        return this.sendPage(req, res, token, HttpStatus.UNPROCESSABLE_ENTITY, {
          ok: false,
          key: 'status.flash.suitForm',
        });
      }
      if (error instanceof NotInNoticeError) {
        const values = { urls: error.urls.join(', '), count: error.urls.length };
        return this.sendPage(req, res, token, HttpStatus.UNPROCESSABLE_ENTITY, {
          ok: false,
          key: 'status.flash.notInNotice',
          values,
        });
      }
      if (error instanceof CounterNoticeTransitionError) {
        return this.sendPage(req, res, token, HttpStatus.CONFLICT, { ok: false, key: 'status.flash.movedOn' });
      }
      const answer = errorAnswer(error);
      if (!answer || answer.status >= 500 || answer.status === (HttpStatus.NOT_FOUND as number)) throw error;
      await this.sendPage(req, res, token, answer.status, {
        ok: false,
        key: 'status.flash.refused',
        values: { detail: messageLine(answer) },
      });
    }
  }

  private async sendPage(
    req: Request,
    res: Response,
    token: string,
    status: number,
    flash: ({ ok: boolean } & FlashMessage) | null,
  ): Promise<void> {
    const view = await this.status.byToken(token);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    const locale = chosenLocale(req.query.lang, view.language);
    const message = flash && { ok: flash.ok, message: this.templates.translate(locale, flash.key, flash.values) };
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('Content-Language', locale)
      .send(
        this.templates.page('status', {
          site: this.app,
          view,
          token,
          csrf,
          flash: message,
          locale,
          languages: languageSwitch(`/status/${token}`, locale),
        }),
      );
  }

  @Get('api/v1/status/:token')
  @Header('Cache-Control', 'no-store')
  async json(@Param('token') token: string): Promise<CaseStatusView> {
    return this.status.byToken(token);
  }

  /**
   * The complainant retracts the notice, or some of its URLs: 200 with the URLs retracted; a URL not in the notice
   * is 422 and nothing is retracted; retracting again changes nothing. An uploader's or anyone else's link is 404.
   */
  @Post('api/v1/status/:token/retract')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  retract(@Param('token') token: string, @Body() dto: RetractDto): Promise<RetractionResult> {
    return this.retractions.retractByToken(token, dto.urls, dto.reason);
  }

  /** The uploader's own page for a case, through the private link in their letter (never the complainant's). */
  @Get('uploader/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async uploaderPage(@Param('token') token: string, @Query('lang') lang: unknown): Promise<string> {
    // The uploader's language is not known: DEFAULT_LOCALE, as their letters, unless they pick another.
    const locale = chosenLocale(lang, this.app.defaultLocale);
    const view = await this.uploaders.byToken(token);
    // What each counter-notice lacks, as a list of the elements' names in the page's language.
    const counterNotices = view.counterNotices.map((c) => ({
      ...c,
      lacking: c.missing
        .map((name) => this.templates.translate(locale, `elements.${name}.title`))
        .join(this.templates.translate(locale, 'page.listSeparator')),
    }));
    return this.templates.page('uploader-status', {
      site: this.app,
      token,
      view: { ...view, counterNotices },
      locale,
      languages: languageSwitch(`/uploader/${token}`, locale),
    });
  }

  @Get('api/v1/uploader/:token')
  @Header('Cache-Control', 'no-store')
  uploaderJson(@Param('token') token: string): Promise<UploaderStatusView> {
    return this.uploaders.byToken(token);
  }
}
