import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { ComplaintBy, ComplaintSubject } from '../complaints/complaint.entity';
import { COMPLAINT_MONTHS, type ComplaintView, ComplaintsService, SUBJECTS_OF } from '../complaints/complaints.service';
import { FileComplaintDto } from '../complaints/dto/complaint.dto';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken, verifyCsrfToken } from '../core/http/csrf';
import { errorAnswer, messageLine } from '../core/http/error-answer';
import { chosenLocale, languageSwitch, type Locale } from '../core/i18n/locales';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { CaseStatusService } from './case-status.service';

type Party = 'uploader' | 'status';

const SUBJECTS: Record<Party, readonly ComplaintSubject[]> = {
  uploader: SUBJECTS_OF[ComplaintBy.Uploader],
  status: SUBJECTS_OF[ComplaintBy.Complainant],
};

class ComplaintInputError extends Error {
  readonly status = HttpStatus.UNPROCESSABLE_ENTITY;
}

/**
 * Complaints against decisions (DSA Art. 20) from the two private status links: the uploader's (/uploader/:token)
 * contests a removal, its strike or a termination; the complainant's (/status/:token) a rejection, a restoration, or
 * a warning or suspension of them as a notifier. A page with the
 * form and the complaints lodged so far, and the same as JSON.
 */
@Controller()
export class ComplaintPagesController {
  constructor(
    private readonly complaints: ComplaintsService,
    private readonly cases: CaseStatusService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get(['uploader/:token/complaints/new', 'status/:token/complaints/new'])
  async formPage(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sendPage(req, res, partyOf(req), token, HttpStatus.OK, null);
  }

  @Post(['uploader/:token/complaints', 'status/:token/complaints'])
  async formPost(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const party = partyOf(req);
    const locale = await this.locale(req, party, token);
    if (!verifyCsrfToken(req, body._csrf, this.app.secret)) {
      const message = this.templates.translate(locale, 'complaints.csrf');
      return this.sendPage(req, res, party, token, HttpStatus.FORBIDDEN, { ok: false, message }, body);
    }
    try {
      await this.file(party, token, body, locale);
      const message = this.templates.translate(locale, 'complaints.received');
      await this.sendPage(req, res, party, token, HttpStatus.CREATED, { ok: true, message });
    } catch (error) {
      if (error instanceof ComplaintInputError) {
        return this.sendPage(req, res, party, token, error.status, { ok: false, message: error.message }, body);
      }
      const answer = errorAnswer(error);
      if (!answer || answer.status >= 500 || answer.status === (HttpStatus.NOT_FOUND as number)) throw error;
      await this.sendPage(req, res, party, token, answer.status, { ok: false, message: messageLine(answer) }, body);
    }
  }

  @Get(['api/v1/uploader/:token/complaints', 'api/v1/status/:token/complaints'])
  @Header('Cache-Control', 'no-store')
  list(@Param('token') token: string, @Req() req: Request): Promise<ComplaintView[]> {
    return this.lodged(partyOf(req), token);
  }

  @Post(['api/v1/uploader/:token/complaints', 'api/v1/status/:token/complaints'])
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  fileJson(@Param('token') token: string, @Body() dto: FileComplaintDto, @Req() req: Request): Promise<ComplaintView> {
    return partyOf(req) === 'uploader'
      ? this.complaints.fileByUploader(token, dto.subject, dto.text)
      : this.complaints.fileByComplainant(token, dto.subject, dto.text);
  }

  private async file(party: Party, token: string, body: Record<string, unknown>, locale: Locale): Promise<void> {
    const dto = plainToInstance(FileComplaintDto, { subject: body.subject, text: body.text });
    const problems = await validate(dto);
    if (problems.length > 0) {
      throw new ComplaintInputError(problems.flatMap((p) => Object.values(p.constraints ?? {})).join('; '));
    }
    if (party === 'uploader') await this.complaints.fileByUploader(token, dto.subject, dto.text, locale);
    else await this.complaints.fileByComplainant(token, dto.subject, dto.text, locale);
  }

  private lodged(party: Party, token: string): Promise<ComplaintView[]> {
    return party === 'uploader' ? this.complaints.forUploaderLink(token) : this.complaints.forStatusLink(token);
  }

  /** The uploader's pages are in DEFAULT_LOCALE, the complainant's in the notice's language, unless one is chosen. */
  private async locale(req: Request, party: Party, token: string): Promise<Locale> {
    const fallback = party === 'status' ? (await this.cases.byToken(token)).language : this.app.defaultLocale;
    return chosenLocale(req.query.lang, fallback);
  }

  private async sendPage(
    req: Request,
    res: Response,
    party: Party,
    token: string,
    status: number,
    flash: { ok: boolean; message: string } | null,
    values: Record<string, unknown> = {},
  ): Promise<void> {
    const [locale, lodged] = await Promise.all([this.locale(req, party, token), this.lodged(party, token)]);
    if (party === 'uploader' && lodged.length === 0) await this.complaints.assertUploaderLink(token);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    const base = `/${party}/${token}`;
    res
      .status(status)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('Content-Language', locale)
      .send(
        this.templates.page('complaint-form', {
          site: this.app,
          csrf,
          flash,
          locale,
          languages: languageSwitch(`${base}/complaints/new`, locale),
          action: `${base}/complaints?lang=${locale}`,
          back: `${base}?lang=${locale}`,
          by: party === 'uploader' ? ComplaintBy.Uploader : ComplaintBy.Complainant,
          subjects: SUBJECTS[party].map((s) => ({ value: s, selected: values.subject === s })),
          text: typeof values.text === 'string' ? values.text.slice(0, 10_000) : '',
          months: COMPLAINT_MONTHS,
          lodged,
        }),
      );
  }
}

/** Which status link the request came through: the uploader's or the complainant's. */
function partyOf(req: Request): Party {
  return /^\/(api\/v1\/)?uploader\//.test(req.path) ? 'uploader' : 'status';
}
