import {
  Controller,
  Get,
  Inject,
  Injectable,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DECIDERS, Roles } from '../auth/roles.decorator';
import { StaffAuthService, type StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type AppConfig, appConfig, type PrivacyConfig, privacyConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import type { QueueScope } from '../privacy/privacy-requests.repository';
import { type PrivacyRequestSummary, PrivacyRequestsService } from '../privacy/privacy-requests.service';
import { RejectPrivacyRequestForm } from './dto/page-forms';
import { type Flash, takeFlash } from './flash';
import { type FormFailure, PageAction, PageActions, type StaffRequest } from './page-action';
import { PageForm } from './page-form';
import { sendPage } from './page-response';
import { privacyQueueRows, privacyRequestView } from './privacy-request-view';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { staffNav } from './view-format';

const ID = 'id';
const QUEUE_PATH = '/staff/privacy-requests';
const requestPath = (req: Request): string =>
  `${QUEUE_PATH}/${encodeURIComponent((req.params as Record<string, string>)[ID])}`;
const ACTION = { roles: DECIDERS, page: requestPath };
const SCOPES: QueueScope[] = ['open', 'settled', 'all'];

/** Draws a privacy request's staff page: the request, its outcome, every step, and the forms staff may use now. */
@Injectable()
export class PrivacyRequestPage {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly auth: StaffAuthService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async send(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    id: string,
    status: number,
    extra: { flash?: Flash | null; failure?: FormFailure },
  ): Promise<void> {
    const [detail, users] = await Promise.all([this.requests.detail(id), this.auth.listUsers()]);
    const now = new Date();
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-privacy-request', status, {
      site: this.app,
      title: `Privacy request ${id.slice(0, 8)}`,
      nav: staffNav(staff, csrf, 'privacy'),
      csrf,
      ...extra,
      request: privacyRequestView(detail, new Map(users.map((u) => [u.id, u.name])), now),
    });
  }
}

/** A refused form shows the request's page again with the message; a request that is not there is the 404 page. */
@Injectable()
export class PrivacyRequestPageActions extends PageActions {
  constructor(
    reflector: Reflector,
    @Inject(appConfig.KEY) app: AppConfig,
    private readonly page: PrivacyRequestPage,
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
 * Staff's privacy-request pages: the queue with deadlines (a minor's request is due within PRIVACY_MINOR_HOURS,
 * others within PRIVACY_REQUEST_DAYS) and each request with its actions, which call the same service as the JSON
 * API. Legal and admin only: the requests are about people, not cases.
 */
@Controller('staff/privacy-requests')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
@UseInterceptors(PrivacyRequestPageActions)
export class PrivacyRequestsPagesController {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly page: PrivacyRequestPage,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(privacyConfig.KEY) private readonly privacy: PrivacyConfig,
  ) {}

  @Get()
  @Roles(...DECIDERS)
  async queuePage(
    @Query('scope') scope: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const chosen = SCOPES.find((s) => s === scope) ?? 'open';
    const now = new Date();
    const items = await this.requests.queue(chosen, now);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-privacy-requests', 200, {
      site: this.app,
      title: 'Privacy requests',
      nav: staffNav(staff, csrf, 'privacy'),
      flash: takeFlash(req, res, this.app.secret, QUEUE_PATH),
      scopes: SCOPES.map((s) => ({ value: s, selected: s === chosen })),
      scope: chosen,
      rows: privacyQueueRows(items, now),
      deadlines: { days: this.privacy.requests.days, minorHours: this.privacy.requests.minorHours },
    });
  }

  @Get(`:${ID}`)
  @Roles(...DECIDERS)
  async requestPage(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const flash = takeFlash(req, res, this.app.secret, `${QUEUE_PATH}/${encodeURIComponent(id)}`);
    await this.page.send(req, res, staff, id, 200, { flash });
  }

  @PageAction(`:${ID}/erase`, { ...ACTION, form: 'erase' })
  async erase(@Param(ID, new ParseUUIDPipe()) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<string> {
    return erasedMessage(await this.requests.carryOutErasure(id, staff.id));
  }

  @PageAction(`:${ID}/confirm-minor`, { ...ACTION, form: 'confirm-minor' })
  async confirmMinor(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    return erasedMessage(await this.requests.confirmMinor(id, staff.id));
  }

  @PageAction(`:${ID}/reject`, { ...ACTION, form: 'reject' })
  async reject(
    @Param(ID, new ParseUUIDPipe()) id: string,
    @PageForm() form: RejectPrivacyRequestForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.requests.reject(id, form.reason, staff.id);
    return `Rejected the request${done.minor ? "; the minor's data is shown again" : ''}.`;
  }

  @PageAction(`:${ID}/export`, { ...ACTION, form: 'export' })
  async sendExport(@Param(ID, new ParseUUIDPipe()) id: string, @CurrentStaff() staff: StaffPrincipal): Promise<string> {
    const done = await this.requests.sendExport(id, staff.id);
    return `Mailed a link to the export; it works until ${done.exportExpiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.`;
  }
}

function erasedMessage(done: PrivacyRequestSummary): string {
  if (done.retained.length === 0) return 'Erased: nothing of the person is left.';
  const kept = done.retained.map((r) => `${r.what} (${r.why})`).join('; ');
  return `Erased, but for what must be kept: ${kept}.`;
}
