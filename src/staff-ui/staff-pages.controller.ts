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
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import { StaffAuthService, type StaffPrincipal } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import type { ProviderRegistry } from '../links';
import { PROVIDER_REGISTRY } from '../links/links.constants';
import { CaseQueueService } from '../triage/case-queue.service';
import { ApproveDto, bulkActionOf, RejectDto } from '../triage/dto/triage.dto';
import { LegalHoldsService } from '../triage/legal-holds.service';
import { ReasonTemplatesService } from '../triage/reason-templates.service';
import { type ActionResult, type LetterOutcome, TriageService } from '../triage/triage.service';
import { assignableStaff, CasePage } from './case-page';
import {
  AssignForm,
  BulkForm,
  ElementForm,
  LegalHoldForm,
  LinksForm,
  NoteForm,
  ReleaseLegalHoldForm,
  RequestInfoForm,
  SortingForm,
  SuitForm,
  TransitionForm,
  WithdrawCounterNoticeForm,
} from './dto/page-forms';
import { CounterNoticesService } from '../counter-notices/counter-notices.service';
import { takeFlash } from './flash';
import { type FormFailure, PageAction, PageActions, type PageOutcome, type StaffRequest } from './page-action';
import { PageForm } from './page-form';
import { sendPage } from './page-response';
import { pagination, queueForm, queueRows } from './queue-view';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { UploaderStandingService } from '../strikes/uploader-standing.service';
import { canDecide, staffNav } from './view-format';

const REFERENCE = 'reference';
const CASE_ACTION = { roles: DECIDERS };

/** A refused case form shows the case page again with the message and what was typed. */
@Injectable()
export class CasePageActions extends PageActions {
  constructor(
    reflector: Reflector,
    @Inject(appConfig.KEY) app: AppConfig,
    private readonly page: CasePage,
  ) {
    super(reflector, app);
  }

  /** No such case (404): there is no case page to show it on. */
  protected override showsOnPage(status: number): boolean {
    return status < 500 && status !== 404;
  }

  protected showRefusal(req: StaffRequest, res: Response, status: number, failure: FormFailure): Promise<void> {
    return this.page.send(req, res, req.staff, req.params[REFERENCE] as string, status, { failure });
  }
}

/**
 * The staff UI's queue and case pages: server-rendered, no script. Every action is a form post (PageAction: CSRF
 * checked, the form read into its DTO) that calls the same TriageService as the JSON API and says what happened; the
 * browser goes back with that as the flash, and a refusal shows the page again with the service's message and the
 * status it carries (409, 422).
 */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
@UseInterceptors(CasePageActions)
export class StaffPagesController {
  constructor(
    private readonly queue: CaseQueueService,
    private readonly triage: TriageService,
    private readonly reasons: ReasonTemplatesService,
    private readonly auth: StaffAuthService,
    private readonly casePage: CasePage,
    private readonly counterNotices: CounterNoticesService,
    private readonly legalHolds: LegalHoldsService,
    private readonly standings: UploaderStandingService,
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  @Get()
  @Roles(...ANY_STAFF)
  async queuePage(
    @Query() query: Record<string, unknown>,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const [users, reasonTemplates, recommendations] = await Promise.all([
      this.auth.listUsers(),
      this.reasons.list(),
      this.standings.list(),
    ]);
    const assignable = assignableStaff(users);
    const form = await queueForm(query, staff, this.registry.providers, assignable);
    const now = new Date();
    const page = await this.queue.list(form.filter, now);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-queue', form.errors.length ? 400 : 200, {
      site: this.app,
      title: 'Queue',
      nav: staffNav(staff, csrf, 'queue'),
      csrf,
      flash: takeFlash(req, res, this.app.secret, '/staff'),
      // 512(i): termination recommendations wait for a person; the queue says so first.
      recommendations: recommendations.length,
      form,
      rows: queueRows(page, now),
      pagination: pagination(page, form.query),
      firstPage: page.items.length === 0 && page.page > 1 ? `/staff${form.query ? `?${form.query}` : ''}` : null,
      bulk: canDecide(staff)
        ? {
            templates: reasonTemplates,
            assignees: [
              ...assignable.map((u) => ({ value: u.id, label: u.id === staff.id ? `${u.name} (me)` : u.name })),
              { value: 'none', label: 'Nobody (unassign)' },
            ],
          }
        : null,
    });
  }

  /** Approves, rejects or assigns the ticked cases; the queue shows each case's result. */
  @PageAction('bulk', { roles: DECIDERS, form: 'bulk', back: queueBack, refusal: 'flash' })
  async bulk(@PageForm() form: BulkForm, @CurrentStaff() staff: StaffPrincipal): Promise<PageOutcome> {
    const results = await this.triage.bulk(form.references, bulkActionOf(form), staff);
    const done = results.filter((r) => r.ok).length;
    const verb = { approve: 'Approved', reject: 'Rejected', assign: 'Assigned' }[form.action];
    const cases = `${results.length} case${results.length === 1 ? '' : 's'}`;
    return { ok: done === results.length, message: `${verb} ${done} of ${cases}.`, results };
  }

  @Get(`cases/:${REFERENCE}`)
  @Roles(...ANY_STAFF)
  async casePageView(
    @Param(REFERENCE) reference: string,
    @Query('links') links: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const flash = takeFlash(req, res, this.app.secret, casePath(reference));
    const linkPage = typeof links === 'string' && /^\d{1,6}$/.test(links) ? Number(links) : 1;
    await this.casePage.send(req, res, staff, reference, 200, { flash, linkPage });
  }

  @PageAction(`cases/:${REFERENCE}/assign`, { ...CASE_ACTION, form: 'assign' })
  async assign(
    @Param(REFERENCE) reference: string,
    @PageForm() form: AssignForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.triage.assign(reference, form.assigneeId, staff);
    if (!form.assigneeId) return 'The case is now unassigned.';
    const name = (await this.auth.listUsers()).find((u) => u.id === form.assigneeId)?.name ?? form.assigneeId;
    return `Assigned to ${name}.`;
  }

  @PageAction(`cases/:${REFERENCE}/transition`, { ...CASE_ACTION, form: 'transition' })
  async transition(
    @Param(REFERENCE) reference: string,
    @PageForm() form: TransitionForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.triage.transition(reference, form.to, staff, form.reason);
    return `Moved to ${done.status}.`;
  }

  /** Approves every pending link on our site or at a storage provider. */
  @PageAction(`cases/:${REFERENCE}/approve`, { ...CASE_ACTION, form: 'approve' })
  async approveAll(
    @Param(REFERENCE) reference: string,
    @PageForm() form: ApproveDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    return approvedMessage(await this.triage.approve(reference, undefined, staff, form.reason));
  }

  /** Approves, rejects or restores the links ticked in the links table. */
  @PageAction(`cases/:${REFERENCE}/links`, { ...CASE_ACTION, form: 'links' })
  async chosenLinks(
    @Param(REFERENCE) reference: string,
    @PageForm() form: LinksForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    switch (form.action) {
      case 'approve':
        return approvedMessage(await this.triage.approve(reference, form.linkIds, staff));
      case 'restore': {
        const done = await this.triage.restore(reference, form.linkIds, form.reason ?? '', staff);
        return `Restoring ${done.links} link${done.links === 1 ? '' : 's'}: the worker puts them back on the site.`;
      }
      case 'reject': {
        const { linkIds, templateId, reason } = form;
        return rejectedMessage(await this.triage.reject(reference, { linkIds, templateId, reason }, staff), 'link');
      }
    }
  }

  @PageAction(`cases/:${REFERENCE}/reject`, { ...CASE_ACTION, form: 'reject' })
  async reject(
    @Param(REFERENCE) reference: string,
    @PageForm() form: RejectDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    return rejectedMessage(await this.triage.reject(reference, form, staff), 'case');
  }

  @PageAction(`cases/:${REFERENCE}/request-info`, { ...CASE_ACTION, form: 'request-info' })
  async requestInfo(
    @Param(REFERENCE) reference: string,
    @PageForm() form: RequestInfoForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.triage.requestInfo(reference, form, staff);
    return `Asked the sender for more information; the case is ${done.status}. ${letterMessage(done.letter)}`;
  }

  @PageAction(`cases/:${REFERENCE}/notes`, { ...CASE_ACTION, form: 'note' })
  async note(
    @Param(REFERENCE) reference: string,
    @PageForm() form: NoteForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.triage.addNote(reference, form.text, staff);
    return 'Note added.';
  }

  @PageAction(`cases/:${REFERENCE}/elements`, { ...CASE_ACTION, form: 'element' })
  async overrideElement(
    @Param(REFERENCE) reference: string,
    @PageForm() form: ElementForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.triage.overrideElement(reference, form.element, form.present, form.reason, staff);
    return `Marked ${form.element} ${form.present ? 'present' : 'missing'}.`;
  }

  @PageAction(`cases/:${REFERENCE}/counter-notices/:id/forward`, { ...CASE_ACTION, form: 'counter-forward' })
  async forwardCounterNotice(
    @Param(REFERENCE) reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const done = await this.counterNotices.forwardReviewed(reference, id, staff.id);
    return `Forwarded the counter-notice to the complainant; restoration on ${done.restoreDueAt ?? 'its day'}.`;
  }

  @PageAction(`cases/:${REFERENCE}/counter-notices/:id/suit`, { ...CASE_ACTION, form: 'suit' })
  async recordSuit(
    @Param(REFERENCE) reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @PageForm() form: SuitForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.counterNotices.recordSuit(reference, id, form, { staffId: staff.id });
    return 'Recorded the suit: the restoration is stopped, the case is on legal hold, and both parties are told.';
  }

  @PageAction(`cases/:${REFERENCE}/counter-notices/:id/withdraw`, { ...CASE_ACTION, form: 'counter-withdraw' })
  async withdrawCounterNotice(
    @Param(REFERENCE) reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @PageForm() form: WithdrawCounterNoticeForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.counterNotices.withdraw(reference, id, form.reason, staff.id);
    return 'Withdrew the counter-notice: nothing will be restored for it.';
  }

  @PageAction(`cases/:${REFERENCE}/legal-holds`, { ...CASE_ACTION, form: 'legal-hold' })
  async setLegalHold(
    @Param(REFERENCE) reference: string,
    @PageForm() form: LegalHoldForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    await this.legalHolds.set(reference, form.reason, staff);
    return 'The case is on legal hold: retention removes nothing of it until the hold is released.';
  }

  @PageAction(`cases/:${REFERENCE}/legal-holds/:id/release`, { ...CASE_ACTION, form: 'legal-hold-release' })
  async releaseLegalHold(
    @Param(REFERENCE) reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @PageForm() form: ReleaseLegalHoldForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const hold = await this.legalHolds.release(reference, id, form.reason, staff);
    return `Released the ${hold.kind} hold.`;
  }

  @PageAction(`cases/:${REFERENCE}/links/:linkId/sorting`, { ...CASE_ACTION, form: 'sorting' })
  async resort(
    @Param(REFERENCE) reference: string,
    @Param('linkId', new ParseUUIDPipe()) linkId: string,
    @PageForm() form: SortingForm,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<string> {
    const { reason, ...sorting } = form;
    await this.triage.overrideLinkSorting(reference, linkId, sorting, reason, staff);
    return `Re-sorted the link as ${sorting.classification}${sorting.provider ? ` (${sorting.provider})` : ''}.`;
  }
}

function casePath(reference: string): string {
  return `/staff/cases/${encodeURIComponent(reference)}`;
}

/** The queue with the filters the bulk form was sent from, re-encoded so that only a query string of /staff comes back. */
function queueBack(req: Request): string {
  const back = (req.body as Record<string, unknown> | undefined)?.back;
  const query = new URLSearchParams(typeof back === 'string' ? back : '').toString();
  return query ? `/staff?${query}` : '/staff';
}

function approvedMessage(done: ActionResult): string {
  const n = done.links ?? 0;
  return `Approved ${n} link${n === 1 ? '' : 's'} for takedown; the worker acts on them now. The case is ${done.status}.`;
}

function rejectedMessage(done: ActionResult, what: 'case' | 'link'): string {
  const n = done.links ?? 0;
  const rejected = what === 'case' ? 'Rejected the case' : `Rejected ${n} link${n === 1 ? '' : 's'}`;
  return `${rejected}; the case is ${done.status}. ${letterMessage(done.letter)}`;
}

function letterMessage(letter: LetterOutcome | undefined): string {
  if (letter === 'queued') return 'The letter to the sender is queued.';
  if (letter === 'no_recipient') return 'The letter is kept unsent: the sender has no valid email address.';
  return '';
}
