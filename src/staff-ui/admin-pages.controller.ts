import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
  UnprocessableEntityException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ReasonTemplatesService } from '../triage/reason-templates.service';
import { canDecide, staffNav } from './staff-view';
import {
  sendCsrfRefusal,
  FormPost,
  formFailure,
  redirectAfterPost,
  sendPage,
  setFlash,
  StaffPageErrorFilter,
  takeFlash,
  validated,
} from './staff-view-http';
import { ReasonTemplateDto } from '../triage/dto/triage.dto';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { AgencyKeysService } from '../agencies/agency-keys.service';
import { CreateAgencyDto } from '../agencies/dto/agency.dto';
import { CreateApiTokenDto } from '../auth/dto/create-api-token.dto';
import { CreateStaffUserDto } from '../auth/dto/create-staff-user.dto';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import {
  LastAdminError,
  StaffAccountError,
  StaffAuthService,
  type StaffPrincipal,
  StaffUserExistsError,
  StaffUserNotFoundError,
} from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { StaffRole } from '../auth/staff-user.entity';

const PATH = '/staff/admin';

/** A form that failed: the page is shown again with the message and what was typed (never a password). */
/** Account-log entries the admin page shows; GET /api/v1/staff/account-events gives more. */
const ACCOUNT_EVENTS_SHOWN = 50;

interface Failure {
  form: string;
  message: string;
  values: Record<string, unknown>;
}

/** A secret made just now, shown on this one page and never again. */
interface Created {
  what: string;
  name: string;
  secret: string;
}

/**
 * The staff admin page: everyone's own API tokens; reason templates for legal and admin; staff accounts and
 * agencies for admins. Server-rendered forms with CSRF tokens, like the case pages.
 */
@Controller('staff/admin')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
export class AdminPagesController {
  constructor(
    private readonly auth: StaffAuthService,
    private readonly agencies: AgencyKeysService,
    private readonly reasons: ReasonTemplatesService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get()
  @Roles(...ANY_STAFF)
  async page(@CurrentStaff() staff: StaffPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, staff, HttpStatus.OK, { flash: takeFlash(req, res, this.app.secret, PATH) });
  }

  @Post('tokens')
  @Roles(...ANY_STAFF)
  async createToken(
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { name: form.text('name') };
    await this.create(req, res, staff, form, { form: 'token', values }, async () => {
      if (!values.name) throw new UnprocessableEntityException('Name the token: what is it for?');
      const dto = await validated(CreateApiTokenDto, values);
      const { token, plain } = await this.auth.createApiToken(staff.id, dto.name);
      return { what: 'API token', name: token.name, secret: plain };
    });
  }

  @Post('tokens/:id/revoke')
  @Roles(...ANY_STAFF)
  async revokeToken(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(req, res, staff, new FormPost(body), { form: 'tokens', values: {} }, async () => {
      if (!(await this.auth.revokeApiToken(id, staff))) throw new NotFoundException('No such live token of yours.');
      return 'The token is revoked: it no longer works.';
    });
  }

  @Post('users')
  @Roles(StaffRole.Admin)
  async createUser(
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { email: form.text('email'), name: form.text('name'), role: form.text('role') };
    await this.act(req, res, staff, form, { form: 'user', values }, async () => {
      const dto = await validated(CreateStaffUserDto, { ...values, password: form.text('password') ?? '' });
      const user = await this.auth.createUser(dto.email, dto.name, dto.role, dto.password, staff.id);
      return `Created ${user.name}'s ${user.role} account (${user.email}). Give them the password privately.`;
    });
  }

  /** Changes a role, or disables or enables an account (disabling ends its sessions and revokes its tokens). */
  @Post('users/:id')
  @Roles(StaffRole.Admin)
  async updateUser(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    await this.act(req, res, staff, form, { form: 'users', values: {} }, async () => {
      const role = form.text('role');
      const disabled = { true: true, false: false }[form.text('disabled') ?? ''];
      if (role !== undefined && !Object.values(StaffRole).includes(role as StaffRole)) {
        throw new UnprocessableEntityException(`role must be one of ${Object.values(StaffRole).join(', ')}.`);
      }
      if (role === undefined && disabled === undefined) throw new UnprocessableEntityException('Nothing to change.');
      const user = await this.auth.updateUser(id, { role: role as StaffRole | undefined, disabled }, staff.id);
      if (disabled === true)
        return `Disabled ${user.name}'s account: their sessions ended and their tokens are revoked.`;
      if (disabled === false) return `Enabled ${user.name}'s account again; they sign in with their password.`;
      return `${user.name} now has the ${user.role} role.`;
    });
  }

  @Post('reasons')
  @Roles(...DECIDERS)
  async createReason(
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { title: form.text('title'), body: form.text('body') };
    await this.act(req, res, staff, form, { form: 'reason', values }, async () => {
      if (!values.title || !values.body) throw new UnprocessableEntityException('A template needs a title and words.');
      const dto = await validated(ReasonTemplateDto, values);
      const created = await this.reasons.create(dto.title, dto.body);
      return `Added the reason template "${created.title}".`;
    });
  }

  @Post('reasons/:id')
  @Roles(...DECIDERS)
  async updateReason(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    await this.act(req, res, staff, form, { form: 'reasons', values: {} }, async () => {
      const values = { title: form.text('title'), body: form.text('body') };
      if (!values.title || !values.body) throw new UnprocessableEntityException('A template needs a title and words.');
      const dto = await validated(ReasonTemplateDto, values);
      const updated = await this.reasons.update(id, dto.title, dto.body);
      return `Saved the reason template "${updated.title}".`;
    });
  }

  @Post('reasons/:id/archive')
  @Roles(...DECIDERS)
  async archiveReason(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(req, res, staff, new FormPost(body), { form: 'reasons', values: {} }, async () => {
      await this.reasons.archive(id);
      return 'Archived the reason template: it is no longer offered, and past letters keep their words.';
    });
  }

  @Post('agencies')
  @Roles(StaffRole.Admin)
  async createAgency(
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { name: form.text('name'), contactEmail: form.text('contactEmail') };
    await this.create(req, res, staff, form, { form: 'agency', values }, async () => {
      const dto = await validated(CreateAgencyDto, values);
      const { agency, key } = await this.agencies.create(dto.name, dto.contactEmail, staff.id);
      return { what: 'agency key', name: agency.name, secret: key };
    });
  }

  @Post('agencies/:id/revoke')
  @Roles(StaffRole.Admin)
  async revokeAgency(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(req, res, staff, new FormPost(body), { form: 'agencies', values: {} }, async () => {
      if (!(await this.agencies.revoke(id, staff.id)))
        throw new NotFoundException('No agency with this id and a live key.');
      return "Revoked the agency's key; its cases stay.";
    });
  }

  /** Runs a change from a form, then redirects back with the outcome, or shows the page again with the refusal. */
  private act(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    form: FormPost,
    failure: Omit<Failure, 'message'>,
    run: () => Promise<string>,
  ): Promise<void> {
    return this.attempt(req, res, staff, form, failure, run, (message) => {
      setFlash(req, res, this.app.secret, { path: PATH, ok: true, message });
      redirectAfterPost(res, PATH);
    });
  }

  /** Makes a secret and shows it on the answer itself (201): it is never stored in the clear, so never shown again. */
  private create(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    form: FormPost,
    failure: Omit<Failure, 'message'>,
    run: () => Promise<Created>,
  ): Promise<void> {
    return this.attempt(req, res, staff, form, failure, run, (created) =>
      this.render(req, res, staff, HttpStatus.CREATED, { created }),
    );
  }

  /** Checks the form's CSRF token, runs the change, and shows a refusal on the page with the form as it was sent. */
  private async attempt<T>(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    form: FormPost,
    failure: Omit<Failure, 'message'>,
    run: () => Promise<T>,
    done: (result: T) => void | Promise<void>,
  ): Promise<void> {
    if (!form.csrfValid(req, this.app.secret)) {
      return sendCsrfRefusal(req, res, this.templates, this.app, staff, PATH);
    }
    let result: T;
    try {
      result = await run();
    } catch (error) {
      const refused = adminFailure(error);
      if (!refused) throw error;
      return this.render(req, res, staff, refused.status, { failure: { ...failure, message: refused.message } });
    }
    await done(result);
  }

  private async render(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    status: number,
    extra: { flash?: unknown; failure?: Failure; created?: Created },
  ): Promise<void> {
    const isAdmin = staff.role === StaffRole.Admin;
    const [tokens, users, reasonTemplates, agencies, accountEvents] = await Promise.all([
      this.auth.listApiTokens(staff.id),
      isAdmin ? this.auth.listUsers() : null,
      canDecide(staff) ? this.reasons.list(true) : null,
      isAdmin ? this.agencies.list() : null,
      isAdmin ? this.auth.listAccountEvents(ACCOUNT_EVENTS_SHOWN) : null,
    ]);
    const roles = Object.values(StaffRole);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-admin', status, {
      site: this.app,
      title: canDecide(staff) ? 'Admin' : 'API tokens',
      nav: staffNav(staff, csrf, 'admin'),
      csrf,
      flash: extra.flash ?? null,
      failure: extra.failure ?? null,
      created: extra.created ?? null,
      show: { templates: reasonTemplates !== null, users: users !== null, agencies: agencies !== null },
      tokens,
      reasonTemplates,
      users: users?.map((u) => ({
        ...u,
        self: u.id === staff.id,
        roles: roles.map((r) => ({ value: r, selected: r === u.role })),
      })),
      newUserRoles: roles.map((r) => ({
        value: r,
        selected: r === (extra.failure?.form === 'user' ? extra.failure.values.role : StaffRole.Viewer),
      })),
      agencies,
      accountEvents: accountEvents?.map((e) => ({
        ...e,
        who: e.actorName ?? e.actor,
        details: Object.entries(e.detail).map(([key, value]) => ({
          key,
          value: typeof value === 'string' ? value : JSON.stringify(value),
        })),
      })),
    });
  }
}

/** A refusal to show on the page: the services' HTTP errors, and the account rules' own. */
function adminFailure(error: unknown): { status: number; message: string } | null {
  if (error instanceof StaffUserNotFoundError) return formFailure(new NotFoundException(error.message));
  if (error instanceof StaffUserExistsError || error instanceof LastAdminError) {
    return formFailure(new ConflictException(error.message));
  }
  if (error instanceof StaffAccountError) return formFailure(new UnprocessableEntityException(error.message));
  return formFailure(error);
}
