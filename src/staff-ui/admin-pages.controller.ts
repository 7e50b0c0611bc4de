import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AgencyKeysService } from '../agencies/agency-keys.service';
import { CreateAgencyDto } from '../agencies/dto/agency.dto';
import { CreateStaffUserDto } from '../auth/dto/create-staff-user.dto';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import { StaffAuthService, type StaffPrincipal } from '../auth/staff-auth.service';
import { StaffRole } from '../auth/staff-user.entity';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type AppConfig, appConfig } from '../core/config';
import { ReasonTemplatesService } from '../triage/reason-templates.service';
import { AdminPage, type Created } from './admin-page';
import { ReasonTemplateForm, TokenForm, UpdateUserForm } from './dto/page-forms';
import { takeFlash } from './flash';
import { type FormFailure, PageAction, PageActions, type StaffRequest } from './page-action';
import { PageForm } from './page-form';
import { StaffPageErrorFilter } from './staff-page-error.filter';

const ADMINS = [StaffRole.Admin];

/** A refused admin form shows the admin page again; a secret made just now is shown on the answer itself. */
@Injectable()
export class AdminPageActions extends PageActions {
  constructor(
    reflector: Reflector,
    @Inject(appConfig.KEY) app: AppConfig,
    private readonly page: AdminPage,
  ) {
    super(reflector, app);
  }

  protected showRefusal(req: StaffRequest, res: Response, status: number, failure: FormFailure): Promise<void> {
    return this.page.send(req, res, req.staff, status, { failure });
  }

  protected override renderShown(req: StaffRequest, res: Response, shown: { created?: Created }): Promise<string> {
    return this.page.html(req, res, req.staff, { created: shown.created });
  }
}

/** The staff admin page: server-rendered forms, each a PageAction like the case page's. */
@Controller('staff/admin')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
@UseInterceptors(AdminPageActions)
export class AdminPagesController {
  constructor(
    private readonly auth: StaffAuthService,
    private readonly agencies: AgencyKeysService,
    private readonly reasons: ReasonTemplatesService,
    private readonly page: AdminPage,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Get()
  @Roles(...ANY_STAFF)
  async view(@CurrentStaff() staff: StaffPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    const flash = takeFlash(req, res, this.app.secret, '/staff/admin');
    await this.page.send(req, res, staff, HttpStatus.OK, { flash });
  }

  /** Makes an API token and shows it this once (201): only its hash is kept. */
  @PageAction('tokens', { roles: ANY_STAFF, form: 'token', then: 'show' })
  async createToken(@PageForm() form: TokenForm, @CurrentStaff() staff: StaffPrincipal) {
    const { token, plain } = await this.auth.createApiToken(staff.id, form.name);
    return { show: { created: { what: 'API token', name: token.name, secret: plain } } };
  }

  @PageAction('tokens/:id/revoke', { roles: ANY_STAFF, form: 'tokens' })
  async revokeToken(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    if (!(await this.auth.revokeApiToken(id, staff))) throw new NotFoundException('No such live token of yours.');
    return 'The token is revoked: it no longer works.';
  }

  @PageAction('users', { roles: ADMINS, form: 'user' })
  async createUser(@PageForm() form: CreateStaffUserDto, @CurrentStaff() staff: StaffPrincipal): Promise<string> {
    const user = await this.auth.createUser(form.email, form.name, form.role, form.password, staff.id);
    return `Created ${user.name}'s ${user.role} account (${user.email}). Give them the password privately.`;
  }

  /** Changes a role, or disables or enables an account (disabling ends its sessions and revokes its tokens). */
  @PageAction('users/:id', { roles: ADMINS, form: 'users' })
  async updateUser(
    @Param('id', new ParseUUIDPipe()) id: string,
    @PageForm() form: UpdateUserForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const user = await this.auth.updateUser(id, form, staff.id);
    if (form.disabled === true)
      return `Disabled ${user.name}'s account: their sessions ended and their tokens are revoked.`;
    if (form.disabled === false) return `Enabled ${user.name}'s account again; they sign in with their password.`;
    return `${user.name} now has the ${user.role} role.`;
  }

  @PageAction('reasons', { roles: DECIDERS, form: 'reason' })
  async createReason(@PageForm() form: ReasonTemplateForm): Promise<string> {
    const created = await this.reasons.create(form.title, form.body);
    return `Added the reason template "${created.title}".`;
  }

  @PageAction('reasons/:id', { roles: DECIDERS, form: 'reasons' })
  async updateReason(
    @Param('id', new ParseUUIDPipe()) id: string,
    @PageForm() form: ReasonTemplateForm,
  ): Promise<string> {
    const updated = await this.reasons.update(id, form.title, form.body);
    return `Saved the reason template "${updated.title}".`;
  }

  @PageAction('reasons/:id/archive', { roles: DECIDERS, form: 'reasons' })
  async archiveReason(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    await this.reasons.archive(id);
    return 'Archived the reason template: it is no longer offered, and past letters keep their words.';
  }

  /** Makes an agency with its key and shows the key this once (201). */
  @PageAction('agencies', { roles: ADMINS, form: 'agency', then: 'show' })
  async createAgency(@PageForm() form: CreateAgencyDto, @CurrentStaff() staff: StaffPrincipal) {
    const { agency, key } = await this.agencies.create(form.name, form.contactEmail, staff.id);
    return { show: { created: { what: 'agency key', name: agency.name, secret: key } } };
  }

  @PageAction('agencies/:id/revoke', { roles: ADMINS, form: 'agencies' })
  async revokeAgency(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    if (!(await this.agencies.revoke(id, staff.id)))
      throw new NotFoundException('No agency with this id and a live key.');
    return "Revoked the agency's key; its cases stay.";
  }
}
