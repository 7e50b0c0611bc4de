import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DECIDERS } from '../auth/roles.decorator';
import { StaffAuthService, type StaffPrincipal, type StaffUserSummary } from '../auth/staff-auth.service';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import type { ProviderRegistry } from '../links';
import { PROVIDER_REGISTRY } from '../links/links.constants';
import { ComplaintStatus } from '../complaints/complaint.entity';
import { ComplaintsService } from '../complaints/complaints.service';
import { CaseDetailService } from '../triage/case-detail.service';
import { ReasonTemplatesService } from '../triage/reason-templates.service';
import { caseView } from './case-view';
import { BadFaithSignsService } from '../notifiers/bad-faith-signs.service';
import { NotifierStatsService } from '../notifiers/notifier-stats.service';
import { badFaithView, notifierRow } from './notifier-view';
import type { Flash } from './flash';
import type { FormFailure } from './page-action';
import { sendPage } from './page-response';
import { canDecide, staffNav } from './view-format';

/** Staff who can be given cases: enabled legal and admin accounts. */
export function assignableStaff(users: readonly StaffUserSummary[]): { id: string; name: string }[] {
  return users
    .filter((u) => u.disabledAt === null && DECIDERS.includes(u.role))
    .map((u) => ({ id: u.id, name: u.name }));
}

/** Draws the case page: after a GET, and again when one of its forms is refused. */
@Injectable()
export class CasePage {
  constructor(
    private readonly detail: CaseDetailService,
    private readonly reasons: ReasonTemplatesService,
    private readonly auth: StaffAuthService,
    private readonly complaints: ComplaintsService,
    private readonly notifiers: NotifierStatsService,
    private readonly signs: BadFaithSignsService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  async send(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    reference: string,
    status: number,
    extra: { flash?: Flash | null; failure?: FormFailure; linkPage?: number },
  ): Promise<void> {
    const now = new Date();
    const [detail, users, reasonTemplates] = await Promise.all([
      this.detail.get(reference, now),
      this.auth.listUsers(),
      this.reasons.list(),
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const decide = canDecide(staff);
    const complaints = (await this.complaints.forCase(detail.id)).map((c) => ({
      ...c,
      canReview: decide && c.status === ComplaintStatus.Received,
      canDecide: decide && (c.status === ComplaintStatus.Received || c.status === ComplaintStatus.InReview),
      decisionByName: c.decisionBy ? (names.get(c.decisionBy) ?? c.decisionBy) : null,
      decidedByName: c.decidedBy ? (names.get(c.decidedBy) ?? c.decidedBy) : null,
    }));
    const [notifier, signs] = await Promise.all([this.notifiers.forCase(detail.id), this.signs.forCase(detail.id)]);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-case', status, {
      complaints,
      notifier: notifier ? notifierRow(notifier) : null,
      badFaithSigns: badFaithView(signs),
      site: this.app,
      title: detail.reference,
      nav: staffNav(staff, csrf, 'case'),
      csrf,
      flash: extra.flash ?? null,
      failure: extra.failure ?? null,
      view: caseView(detail, {
        now,
        canDecide: canDecide(staff),
        names: new Map(users.map((u) => [u.id, u.name])),
        assignable: assignableStaff(users),
        reasonTemplates,
        providers: this.registry.providers,
        linkPage: extra.linkPage ?? 1,
      }),
    });
  }
}
