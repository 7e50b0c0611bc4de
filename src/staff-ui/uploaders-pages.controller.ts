import {
  Controller,
  Get,
  Inject,
  Injectable,
  Param,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import { StaffAuthService, type StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { UploaderStandingStatus } from '../strikes/uploader-standing.entity';
import { UploaderStandingService } from '../strikes/uploader-standing.service';
import { StandingDecisionForm } from './dto/decision-forms';
import { type Flash, takeFlash } from './flash';
import { type FormFailure, PageAction, PageActions, type StaffRequest } from './page-action';
import { PageForm } from './page-form';
import { sendPage } from './page-response';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { canDecide, staffNav } from './view-format';

const ID = 'uploaderId';
const LIST_PATH = '/staff/uploaders';
const uploaderPath = (req: Request): string =>
  `${LIST_PATH}/${encodeURIComponent((req.params as Record<string, string>)[ID])}`;
const ACTION = { roles: DECIDERS, page: uploaderPath };
const VOID_REASONS: Record<string, string> = {
  retracted: 'notice retracted',
  counter_notice_restored: 'restored after a counter-notice',
  restored_by_staff: 'restored by staff',
  complaint_upheld: 'complaint upheld',
};

/** Draws an uploader's page: standing, strikes with their expiry, every decision, and the forms staff may use now. */
@Injectable()
export class UploaderPage {
  constructor(
    private readonly standings: UploaderStandingService,
    private readonly auth: StaffAuthService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async send(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    uploaderId: string,
    status: number,
    extra: { flash?: Flash | null; failure?: FormFailure },
  ): Promise<void> {
    const [detail, users] = await Promise.all([this.standings.detail(uploaderId), this.auth.listUsers()]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const csrf = issueCsrfToken(req, res, this.app.secret);
    const decide = canDecide(staff);
    sendPage(res, this.templates, 'staff-uploader', status, {
      site: this.app,
      title: `Uploader ${uploaderId}`,
      nav: staffNav(staff, csrf, 'uploaders'),
      csrf,
      ...extra,
      uploader: {
        ...detail,
        suspendedByName: detail.suspendedBy ? (names.get(detail.suspendedBy) ?? detail.suspendedBy) : null,
        strikes: detail.strikes.map((s) => ({ ...s, voidLabel: s.voidReason ? VOID_REASONS[s.voidReason] : null })),
        events: detail.events.map((e) => ({ ...e, actorName: names.get(e.actor) ?? e.actor })),
        belowThreshold: detail.activeStrikes < detail.threshold,
        can: {
          approve: decide && detail.status === UploaderStandingStatus.Recommended,
          decline: decide && detail.status === UploaderStandingStatus.Recommended,
          reinstate: decide && detail.status === UploaderStandingStatus.Suspended,
        },
      },
    });
  }
}

/** A refused form shows the uploader's page again with the message; an unknown uploader is the 404 page. */
@Injectable()
export class UploaderPageActions extends PageActions {
  constructor(
    reflector: Reflector,
    @Inject(appConfig.KEY) app: AppConfig,
    private readonly page: UploaderPage,
  ) {
    super(reflector, app);
  }

  protected override showsOnPage(status: number): boolean {
    return status < 500 && status !== 404;
  }

  protected showRefusal(req: StaffRequest, res: Response, status: number, failure: FormFailure): Promise<void> {
    return this.page.send(req, res, req.staff, (req.params as Record<string, string>)[ID], status, { failure });
  }
}

/**
 * Staff's repeat-infringer pages (17 U.S.C. 512(i)): the termination recommendations the strikes made, and each
 * uploader with their strikes and the decisions, which call the same service as the JSON API. Everyone reads;
 * legal and admin staff decide.
 */
@Controller('staff/uploaders')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
@UseInterceptors(UploaderPageActions)
export class UploadersPagesController {
  constructor(
    private readonly standings: UploaderStandingService,
    private readonly page: UploaderPage,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get()
  @Roles(...ANY_STAFF)
  async listPage(
    @Query('status') status: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const chosen =
      Object.values(UploaderStandingStatus).find((s) => s === status) ?? UploaderStandingStatus.Recommended;
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-uploaders', 200, {
      site: this.app,
      title: 'Repeat infringers',
      nav: staffNav(staff, csrf, 'uploaders'),
      flash: takeFlash(req, res, this.app.secret, LIST_PATH),
      statuses: Object.values(UploaderStandingStatus).map((s) => ({ value: s, selected: s === chosen })),
      status: chosen,
      rows: await this.standings.list(chosen),
    });
  }

  @Get(`:${ID}`)
  @Roles(...ANY_STAFF)
  async uploaderPage(
    @Param(ID) uploaderId: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const flash = takeFlash(req, res, this.app.secret, `${LIST_PATH}/${encodeURIComponent(uploaderId)}`);
    await this.page.send(req, res, staff, uploaderId, 200, { flash });
  }

  @PageAction(`:${ID}/termination`, { ...ACTION, form: 'approve' })
  async approve(
    @Param(ID) uploaderId: string,
    @PageForm() form: StandingDecisionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.standings.suspend(uploaderId, staff.id, form.reason);
    return `Terminated (${done.suspensionReference}): the site hides the uploader's pages, and the uploader is told.`;
  }

  @PageAction(`:${ID}/decline`, { ...ACTION, form: 'decline' })
  async decline(
    @Param(ID) uploaderId: string,
    @PageForm() form: StandingDecisionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.standings.decline(uploaderId, staff.id, form.reason);
    return 'Recommendation declined: the uploader stays. A later strike at the threshold recommends again.';
  }

  @PageAction(`:${ID}/reinstatement`, { ...ACTION, form: 'reinstate' })
  async reinstate(
    @Param(ID) uploaderId: string,
    @PageForm() form: StandingDecisionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.standings.reinstate(uploaderId, staff.id, form.reason);
    return 'Reinstated: the site serves the uploader’s pages again, and the uploader is told.';
  }
}
