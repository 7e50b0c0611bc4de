import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UnprocessableEntityException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ANY_STAFF, DECIDERS, Roles } from '../auth/roles.decorator';
import { StaffAuthService, type StaffPrincipal, type StaffUserSummary } from '../auth/staff-auth.service';
import { CurrentStaff, StaffGuard } from '../auth/staff.guard';
import { type AppConfig, appConfig } from '../core/config';
import { issueCsrfToken } from '../core/http/csrf';
import { TemplateRenderer } from '../core/templates/template-renderer';
import type { ProviderRegistry } from '../links';
import { PROVIDER_REGISTRY } from '../links/links.constants';
import { CaseDetailService } from '../triage/case-detail.service';
import { CaseQueueService } from '../triage/case-queue.service';
import {
  ApproveDto,
  AssignDto,
  BulkDto,
  bulkActionOf,
  ElementOverrideDto,
  LinkSortingDto,
  NoteDto,
  RejectDto,
  RestoreDto,
  RequestInfoDto,
  TransitionDto,
} from '../triage/dto/triage.dto';
import { ReasonTemplatesService } from '../triage/reason-templates.service';
import { type ActionResult, type LetterOutcome, TriageService } from '../triage/triage.service';
import { canDecide, caseView, pagination, queueForm, queueRows, staffNav } from './staff-view';
import {
  sendCsrfRefusal,
  type Flash,
  FormPost,
  formFailure,
  redirectAfterPost,
  sendPage,
  setFlash,
  StaffPageErrorFilter,
  takeFlash,
  validated,
} from './staff-view-http';

const REFERENCE = 'reference';

/** A form on the case page that failed: the page is shown again with the message and what was typed. */
interface Failure {
  form: string;
  message: string;
  values: Record<string, unknown>;
}

/** Staff who can be given cases: enabled legal and admin accounts. */
export function assignableStaff(users: readonly StaffUserSummary[]): { id: string; name: string }[] {
  return users
    .filter((u) => u.disabledAt === null && DECIDERS.includes(u.role))
    .map((u) => ({ id: u.id, name: u.name }));
}

/**
 * The staff UI's queue and case pages: server-rendered, no script. Every action is a form post with a CSRF token
 * that calls the same TriageService as the JSON API, then redirects back with a flash message; a refusal shows the
 * page again with the service's message and the status it carries (409, 422).
 */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageErrorFilter)
export class StaffPagesController {
  constructor(
    private readonly queue: CaseQueueService,
    private readonly detail: CaseDetailService,
    private readonly triage: TriageService,
    private readonly reasons: ReasonTemplatesService,
    private readonly auth: StaffAuthService,
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
    const [users, reasonTemplates] = await Promise.all([this.auth.listUsers(), this.reasons.list()]);
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

  @Post('bulk')
  @Roles(...DECIDERS)
  async bulk(
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const back = `/staff${queryOf(form.text('back'))}`;
    if (!form.csrfValid(req, this.app.secret)) return sendCsrfRefusal(req, res, this.templates, this.app, staff, back);
    const flash = (f: Omit<Flash, 'path'>): void => {
      setFlash(req, res, this.app.secret, { path: '/staff', ...f });
      redirectAfterPost(res, back);
    };
    try {
      const references = form.list('references');
      if (references.length === 0) throw new UnprocessableEntityException('Choose at least one case.');
      const action = form.text('action');
      const assignee = form.text('assigneeId');
      const dto = await validated(BulkDto, {
        references,
        action,
        templateId: action === 'reject' ? form.text('templateId') : undefined,
        reason: action === 'reject' ? form.text('reason') : undefined,
        assigneeId: action === 'assign' ? (assignee === 'none' ? null : assignee) : undefined,
      });
      if (dto.action === 'reject' && !dto.templateId && !dto.reason) {
        throw new UnprocessableEntityException('Choose a reason template or write a reason to reject.');
      }
      if (dto.action === 'assign' && dto.assigneeId === undefined) {
        throw new UnprocessableEntityException('Choose whom to assign the cases to.');
      }
      const results = await this.triage.bulk(dto.references, bulkActionOf(dto), staff);
      const done = results.filter((r) => r.ok).length;
      const verb = { approve: 'Approved', reject: 'Rejected', assign: 'Assigned' }[dto.action];
      flash({
        ok: done === results.length,
        message: `${verb} ${done} of ${results.length} case${results.length === 1 ? '' : 's'}.`,
        results,
      });
    } catch (error) {
      const failure = formFailure(error);
      if (!failure) throw error;
      flash({ ok: false, message: failure.message });
    }
  }

  @Get(`cases/:${REFERENCE}`)
  @Roles(...ANY_STAFF)
  async casePage(
    @Param(REFERENCE) reference: string,
    @Query('links') links: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const flash = takeFlash(req, res, this.app.secret, casePath(reference));
    const linkPage = typeof links === 'string' && /^\d{1,6}$/.test(links) ? Number(links) : 1;
    await this.renderCase(req, res, staff, reference, 200, { flash, linkPage });
  }

  @Post(`cases/:${REFERENCE}/assign`)
  @Roles(...DECIDERS)
  async assign(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    await this.act(req, res, staff, reference, form, { form: 'assign', values: {} }, async () => {
      const chosen = form.text('assigneeId');
      if (!chosen) throw new UnprocessableEntityException('Choose whom to assign the case to.');
      const dto = await validated(AssignDto, { assigneeId: chosen === 'none' ? null : chosen });
      await this.triage.assign(reference, dto.assigneeId, staff);
      if (!dto.assigneeId) return 'The case is now unassigned.';
      const name = (await this.auth.listUsers()).find((u) => u.id === dto.assigneeId)?.name ?? dto.assigneeId;
      return `Assigned to ${name}.`;
    });
  }

  @Post(`cases/:${REFERENCE}/transition`)
  @Roles(...DECIDERS)
  async transition(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { to: form.text('to'), reason: form.text('reason') };
    await this.act(req, res, staff, reference, form, { form: 'transition', values }, async () => {
      if (!values.to) throw new UnprocessableEntityException('Choose the status to move the case to.');
      const dto = await validated(TransitionDto, values);
      const done = await this.triage.transition(reference, dto.to, staff, dto.reason);
      return `Moved to ${done.status}.`;
    });
  }

  /** Approves every pending link on our site or at a storage provider. */
  @Post(`cases/:${REFERENCE}/approve`)
  @Roles(...DECIDERS)
  async approveAll(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { reason: form.text('reason') };
    await this.act(req, res, staff, reference, form, { form: 'approve', values }, async () => {
      const dto = await validated(ApproveDto, values);
      return approvedMessage(await this.triage.approve(reference, undefined, staff, dto.reason));
    });
  }

  /** Approves or rejects the links ticked in the links table. */
  @Post(`cases/:${REFERENCE}/links`)
  @Roles(...DECIDERS)
  async chosenLinks(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { templateId: form.text('templateId'), reason: form.text('reason') };
    await this.act(req, res, staff, reference, form, { form: 'links', values }, async () => {
      const linkIds = form.list('linkIds');
      if (linkIds.length === 0) throw new UnprocessableEntityException('Tick at least one link first.');
      if (form.text('action') === 'approve') {
        const dto = await validated(ApproveDto, { linkIds });
        return approvedMessage(await this.triage.approve(reference, dto.linkIds, staff));
      }
      if (form.text('action') === 'restore') {
        if (!values.reason) throw new UnprocessableEntityException('Write why the links are put back, in Reason.');
        const dto = await validated(RestoreDto, { linkIds, reason: values.reason });
        const done = await this.triage.restore(reference, dto.linkIds, dto.reason, staff);
        return `Restoring ${done.links} link${done.links === 1 ? '' : 's'}: the worker puts them back on the site.`;
      }
      if (form.text('action') !== 'reject')
        throw new UnprocessableEntityException('Choose approve, reject or restore.');
      const dto = await validated(RejectDto, { ...values, linkIds });
      return rejectedMessage(await this.triage.reject(reference, dto, staff), 'link');
    });
  }

  @Post(`cases/:${REFERENCE}/reject`)
  @Roles(...DECIDERS)
  async reject(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { templateId: form.text('templateId'), reason: form.text('reason') };
    await this.act(req, res, staff, reference, form, { form: 'reject', values }, async () => {
      const dto = await validated(RejectDto, values);
      return rejectedMessage(await this.triage.reject(reference, dto, staff), 'case');
    });
  }

  @Post(`cases/:${REFERENCE}/request-info`)
  @Roles(...DECIDERS)
  async requestInfo(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const elements = form.list('elements');
    const values = { elements: elements.length ? elements : undefined, message: form.text('message') };
    await this.act(req, res, staff, reference, form, { form: 'request-info', values }, async () => {
      const dto = await validated(RequestInfoDto, values);
      const done = await this.triage.requestInfo(reference, dto, staff);
      return `Asked the sender for more information; the case is ${done.status}. ${letterMessage(done.letter)}`;
    });
  }

  @Post(`cases/:${REFERENCE}/notes`)
  @Roles(...DECIDERS)
  async note(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    const values = { text: form.text('text') };
    await this.act(req, res, staff, reference, form, { form: 'note', values }, async () => {
      if (!values.text) throw new UnprocessableEntityException('Write the note first.');
      const dto = await validated(NoteDto, values);
      await this.triage.addNote(reference, dto.text, staff);
      return 'Note added.';
    });
  }

  @Post(`cases/:${REFERENCE}/elements`)
  @Roles(...DECIDERS)
  async overrideElement(
    @Param(REFERENCE) reference: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    await this.act(req, res, staff, reference, form, { form: 'element', values: {} }, async () => {
      const present = { yes: true, no: false }[form.text('present') ?? ''];
      if (present === undefined) throw new UnprocessableEntityException('Say whether the element is present.');
      if (!form.text('reason')) throw new UnprocessableEntityException('Give a reason for the override.');
      const dto = await validated(ElementOverrideDto, {
        element: form.text('element'),
        present,
        reason: form.text('reason'),
      });
      await this.triage.overrideElement(reference, dto.element, dto.present, dto.reason, staff);
      return `Marked ${dto.element} ${dto.present ? 'present' : 'missing'}.`;
    });
  }

  @Post(`cases/:${REFERENCE}/links/:linkId/sorting`)
  @Roles(...DECIDERS)
  async resort(
    @Param(REFERENCE) reference: string,
    @Param('linkId', new ParseUUIDPipe()) linkId: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = new FormPost(body);
    await this.act(req, res, staff, reference, form, { form: 'sorting', values: {} }, async () => {
      if (!form.text('reason')) throw new UnprocessableEntityException('Give a reason for re-sorting the link.');
      const { reason, ...sorting } = await validated(LinkSortingDto, {
        classification: form.text('classification'),
        provider: form.text('classification') === 'external_disk' ? form.text('provider') : undefined,
        role: form.text('role'),
        reason: form.text('reason'),
      });
      await this.triage.overrideLinkSorting(reference, linkId, sorting, reason, staff);
      return `Re-sorted the link as ${sorting.classification}${sorting.provider ? ` (${sorting.provider})` : ''}.`;
    });
  }

  /**
   * Runs one case action from a form: refuses a post without a valid CSRF token (nothing changes), redirects back
   * to the case with the outcome, or shows the case again with the service's refusal and its status.
   */
  private async act(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    reference: string,
    form: FormPost,
    failure: Omit<Failure, 'message'>,
    run: () => Promise<string>,
  ): Promise<void> {
    const path = casePath(reference);
    if (!form.csrfValid(req, this.app.secret)) return sendCsrfRefusal(req, res, this.templates, this.app, staff, path);
    let message: string;
    try {
      message = await run();
    } catch (error) {
      const refused = formFailure(error);
      // No such case, or not a refusal at all: the error page says so.
      if (!refused || refused.status === 404) throw error;
      return this.renderCase(req, res, staff, reference, refused.status, {
        failure: { ...failure, message: refused.message },
      });
    }
    setFlash(req, res, this.app.secret, { path, ok: true, message });
    redirectAfterPost(res, path);
  }

  private async renderCase(
    req: Request,
    res: Response,
    staff: StaffPrincipal,
    reference: string,
    status: number,
    extra: { flash?: Flash | null; failure?: Failure; linkPage?: number },
  ): Promise<void> {
    const now = new Date();
    const [detail, users, reasonTemplates] = await Promise.all([
      this.detail.get(reference, now),
      this.auth.listUsers(),
      this.reasons.list(),
    ]);
    const csrf = issueCsrfToken(req, res, this.app.secret);
    sendPage(res, this.templates, 'staff-case', status, {
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

function casePath(reference: string): string {
  return `/staff/cases/${encodeURIComponent(reference)}`;
}

/** The queue's filters from the bulk form, re-encoded so that only a query string of /staff comes back. */
function queryOf(back: string | undefined): string {
  const query = new URLSearchParams(back ?? '').toString();
  return query ? `?${query}` : '';
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
