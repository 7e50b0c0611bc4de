import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AgencyKeysService } from '../agencies/agency-keys.service';
import { StaffAuthService, type StaffPrincipal } from '../auth/staff-auth.service';
import { StaffRole } from '../auth/staff-user.entity';
import { type AppConfig, appConfig, type PrivacyConfig, privacyConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import type { RetentionRunCounts } from '../privacy/retention';
import { RetentionService } from '../privacy/retention.service';
import { ReasonTemplatesService } from '../triage/reason-templates.service';
import type { Flash } from './flash';
import type { FormFailure } from './page-action';
import { canDecide, staffNav } from './view-format';

/** Account-log entries the admin page shows; GET /api/v1/staff/account-events gives more. */
const ACCOUNT_EVENTS_SHOWN = 50;

/** What the admin page calls each of a retention run's counts. */
const RETENTION_LABELS: Record<keyof RetentionRunCounts, string> = {
  rawMail: 'Raw emails emptied',
  evidenceFiles: 'Evidence files deleted',
  partyData: "Closed cases whose parties' personal data was erased",
  idempotencyKeys: 'Stored API answers (idempotency keys)',
  outbox: 'Dispatched outbox rows',
  finishedJobs: 'Finished jobs in Redis',
  sessions: 'Expired staff sessions',
  loginAttempts: 'Sign-in attempt counters',
  failedCases: 'Cases left for the next run (their removal failed; see the worker log)',
};

/** A secret made just now, shown on this one page and never again. */
export interface Created {
  what: string;
  name: string;
  secret: string;
}

/**
 * Draws the admin page: everyone's own API tokens; reason templates for legal and admin; staff accounts, agencies
 * and the account log for admins.
 */
@Injectable()
export class AdminPage {
  constructor(
    private readonly auth: StaffAuthService,
    private readonly agencies: AgencyKeysService,
    private readonly reasons: ReasonTemplatesService,
    private readonly retention: RetentionService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(privacyConfig.KEY) private readonly privacy: PrivacyConfig,
  ) {}

  async send(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    status: number,
    extra: { flash?: Flash | null; failure?: FormFailure },
  ): Promise<void> {
    const html = await this.html(req, res, staff, extra);
    res.status(status).setHeader('Cache-Control', 'no-store').setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(html);
  }

  async html(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    extra: { flash?: Flash | null; failure?: FormFailure; created?: Created },
  ): Promise<string> {
    const isAdmin = staff.role === StaffRole.Admin;
    const [tokens, users, reasonTemplates, agencies, accountEvents, lastRun] = await Promise.all([
      this.auth.listApiTokens(staff.id),
      isAdmin ? this.auth.listUsers() : null,
      canDecide(staff) ? this.reasons.list(true) : null,
      isAdmin ? this.agencies.list() : null,
      isAdmin ? this.auth.listAccountEvents(ACCOUNT_EVENTS_SHOWN) : null,
      isAdmin ? this.retention.lastRun() : null,
    ]);
    const roles = Object.values(StaffRole);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    return this.templates.page('staff-admin', {
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
      retention: isAdmin
        ? {
            cron: this.privacy.retentionCron,
            lastRun: lastRun && {
              ...lastRun,
              counts: Object.entries(RETENTION_LABELS).map(([key, label]) => ({
                label,
                value: lastRun.counts[key as keyof RetentionRunCounts] ?? 'not counted: Redis could not be reached',
              })),
            },
          }
        : null,
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
