import {
  Controller,
  Get,
  Inject,
  Injectable,
  NotFoundException,
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
import { isNotifierKey } from '../notifiers/notifier-key';
import { NotifierStandingStatus } from '../notifiers/notifier-standing.entity';
import { NotifierStandingsService } from '../notifiers/notifier-standings.service';
import { NOTIFIER_SORTS, type NotifierSort, NotifierStatsService } from '../notifiers/notifier-stats.service';
import { NotifierDecisionForm, NotifierSuspensionForm } from './dto/decision-forms';
import { type Flash, takeFlash } from './flash';
import { notifierRow } from './notifier-view';
import { type FormFailure, PageAction, PageActions, type StaffRequest } from './page-action';
import { PageForm } from './page-form';
import { sendPage } from './page-response';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { canDecide, staffNav } from './view-format';

const KEY = 'key';
const LIST_PATH = '/staff/notifiers';
const notifierPath = (req: Request): string =>
  `${LIST_PATH}/${encodeURIComponent((req.params as Record<string, string>)[KEY])}`;
const ACTION = { roles: DECIDERS, page: notifierPath };

/** Draws a notifier's page: its record, its standing and every decision, and the forms staff may use now. */
@Injectable()
export class NotifierPage {
  constructor(
    private readonly stats: NotifierStatsService,
    private readonly standings: NotifierStandingsService,
    private readonly auth: StaffAuthService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async send(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    key: string,
    status: number,
    extra: { flash?: Flash | null; failure?: FormFailure },
  ): Promise<void> {
    const stats = isNotifierKey(key) ? await this.stats.forKey(key) : null;
    if (!stats) throw new NotFoundException(`No case was sent by notifier ${key}.`);
    const [standing, users] = await Promise.all([this.standings.detail(key), this.auth.listUsers()]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const csrf = issueCsrfToken(req, res, this.app.secret);
    const decide = canDecide(staff);
    const suspended = standing.status === NotifierStandingStatus.Suspended;
    const row = notifierRow(stats);
    sendPage(res, this.templates, 'staff-notifier', status, {
      site: this.app,
      title: `Notifier ${row.label}`,
      nav: staffNav(staff, csrf, 'notifiers'),
      csrf,
      ...extra,
      notifier: {
        ...row,
        standing: {
          ...standing,
          events: standing.events.map((e) => ({ ...e, actorName: names.get(e.actor) ?? e.actor })),
        },
        casesHref: `/staff?notifier=${encodeURIComponent(key)}`,
        can: { warn: decide && !suspended, suspend: decide, lift: decide && suspended },
      },
    });
  }
}

/** A refused form shows the notifier's page again with the message; an unknown notifier is the 404 page. */
@Injectable()
export class NotifierPageActions extends PageActions {
  constructor(
    reflector: Reflector,
    @Inject(appConfig.KEY) app: AppConfig,
    private readonly page: NotifierPage,
  ) {
    super(reflector, app);
  }

  protected override showsOnPage(status: number): boolean {
    return status < 500 && status !== 404;
  }

  protected showRefusal(req: StaffRequest, res: Response, status: number, failure: FormFailure): Promise<void> {
    return this.page.send(req, res, req.staff, (req.params as Record<string, string>)[KEY], status, { failure });
  }
}

const SORT_LABELS: Record<NotifierSort, string> = {
  rejected_share: 'Rejected share',
  sent: 'Notices sent',
  last_notice: 'Latest notice',
};

/**
 * Staff's notifiers pages (DSA Art. 23): every notifier with its counts, sortable, and each notifier's page with its
 * decisions and the forms to warn, suspend and lift, which call the same service as the JSON API. Everyone reads;
 * legal and admin staff decide.
 */
@Controller('staff/notifiers')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
@UseInterceptors(NotifierPageActions)
export class NotifiersPagesController {
  constructor(
    private readonly stats: NotifierStatsService,
    private readonly standings: NotifierStandingsService,
    private readonly page: NotifierPage,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get()
  @Roles(...ANY_STAFF)
  async listPage(
    @Query('sort') sort: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const chosen = NOTIFIER_SORTS.find((s) => s === sort) ?? 'rejected_share';
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-notifiers', 200, {
      site: this.app,
      title: 'Notifiers',
      nav: staffNav(staff, csrf, 'notifiers'),
      sorts: NOTIFIER_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s], selected: s === chosen })),
      rows: (await this.stats.list(chosen)).map(notifierRow),
    });
  }

  @Get(`:${KEY}`)
  @Roles(...ANY_STAFF)
  async notifierPage(
    @Param(KEY) key: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const flash = takeFlash(req, res, this.app.secret, `${LIST_PATH}/${encodeURIComponent(key)}`);
    await this.page.send(req, res, staff, key, 200, { flash });
  }

  @PageAction(`:${KEY}/warning`, { ...ACTION, form: 'warn' })
  async warn(
    @Param(KEY) key: string,
    @PageForm() form: NotifierDecisionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.standings.warn(key, staff.id, form.reason);
    return `Warned (warning ${done.warnings}): the notifier is told, and its notices are processed as before.`;
  }

  @PageAction(`:${KEY}/suspension`, { ...ACTION, form: 'suspend' })
  async suspend(
    @Param(KEY) key: string,
    @PageForm() form: NotifierSuspensionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.standings.suspend(key, staff.id, form.reason, form.days);
    return `Suspended until ${done.suspendedUntil?.toISOString().slice(0, 10)}: its notices are kept and held for review, and it is told.`;
  }

  @PageAction(`:${KEY}/lift`, { ...ACTION, form: 'lift' })
  async lift(
    @Param(KEY) key: string,
    @PageForm() form: NotifierDecisionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.standings.lift(key, staff.id, form.reason);
    return 'Suspension lifted: new notices are processed again; those held meanwhile wait in review.';
  }
}
