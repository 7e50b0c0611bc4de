import type { Locale } from '../core/i18n/locales';
import { ConflictException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ChecklistResult, ELEMENT_LABELS, type ElementName, isValidEmail } from '../checklist';
import { JobName, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { isActionable, type LinkClassification, type LinkRole, type ProviderRegistry } from '../links';
import { PROVIDER_REGISTRY } from '../links/links.constants';
import { audit, type TextId } from '../cases/audit';
import { recordText } from '../cases/case-texts';
import {
  type CaseStatus,
  CaseStatus as Status,
  type ElementOverride,
  type ElementOverrides,
} from '../cases/case.entity';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { complainantAddress } from '../cases/complainant-address';
import { effectiveChecklist, requiredElements } from '../cases/effective-checklist';
import { moveLinks } from '../cases/link-transitions';
import { canMoveLink } from '../cases/link-workflow';
import { LinkStatus } from '../cases/reported-link.entity';
import { PersonalData } from '../core/privacy/personal-data.service';

/** Who is acting: a staff member let through by StaffGuard. */
export interface Actor {
  id: string;
  name: string;
}

interface LockedCase {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: ChecklistResult['kind'];
  status_token: string;
  language: Locale;
  checklist: ChecklistResult;
  element_overrides: ElementOverrides;
}

interface LinkRow {
  id: string;
  url: string;
  classification: LinkClassification;
  provider: string | null;
  role: LinkRole;
  status: LinkStatus;
}

export interface LinkSorting {
  classification: LinkClassification;
  provider?: string | null;
  role?: LinkRole;
}

/** What happened to a letter a triage action wrote: queued for the mail worker, or kept unsent for staff. */
export type LetterOutcome = 'queued' | 'no_recipient';

export interface ActionResult {
  reference: string;
  status: CaseStatus;
  links?: number;
  letter?: LetterOutcome;
}

export type BulkAction =
  | { action: 'approve' }
  | { action: 'reject'; templateId?: string; reason?: string }
  | { action: 'assign'; assigneeId: string | null };

export interface BulkResult {
  reference: string;
  ok: boolean;
  status?: CaseStatus;
  error?: string;
}

/** Most cases one bulk request may act on. */
export const BULK_MAX_CASES = 200;
const CLASSIFICATIONS: readonly LinkClassification[] = ['internal', 'external_disk', 'external_other', 'invalid'];
const ROLES: readonly LinkRole[] = ['infringing', 'original', 'reference'];

/**
 * What legal staff do to cases: assign, approve takedowns, reject with a reason, ask the sender for more, override
 * the checklist or a link's sorting, and write notes. Each action locks the case, checks it against the case and
 * link workflows, writes its audit event (who, what, why) and any letter or job in the same transaction, and counts
 * as the staff acknowledgement the service level asks for.
 */
@Injectable()
export class TriageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: CaseTransitionsService,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
    private readonly outbox: OutboxService,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  transition(reference: string, to: CaseStatus, actor: Actor, reason?: string): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      await this.transitions.apply(m, kase, to, actor.id, reason);
      return { reference, status: kase.status };
    });
  }

  assign(reference: string, assigneeId: string | null, actor: Actor): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      if (assigneeId) await this.assignable(m, assigneeId);
      const [before] = await m.query<{ assignee_id: string | null }[]>(`SELECT assignee_id FROM cases WHERE id = $1`, [
        kase.id,
      ]);
      if (before.assignee_id !== assigneeId) {
        await m.query(`UPDATE cases SET assignee_id = $2 WHERE id = $1`, [kase.id, assigneeId]);
        await audit(m, kase.id, actor.id, 'case.assigned', { from: before.assignee_id, to: assigneeId });
      }
      return { reference, status: kase.status };
    });
  }

  addNote(reference: string, text: string, actor: Actor): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      const noteText = await recordText(m, kase.id, actor.id, 'note', text.trim());
      await audit(m, kase.id, actor.id, 'note.added', { noteText });
      return { reference, status: kase.status };
    });
  }

  /** Records a staff member's judgement that an element is (or is not) in the notice, over the checker's. */
  overrideElement(
    reference: string,
    element: ElementName,
    present: boolean,
    reason: string,
    actor: Actor,
  ): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      const required = requiredElements(kase.kind);
      if (!required.includes(element)) {
        throw new UnprocessableEntityException(
          required.length
            ? `A ${kase.kind} notice has no element "${element}"; its elements are ${required.join(', ')}.`
            : `This case is a ${kase.kind} notice, which has no required elements to override.`,
        );
      }
      const override: ElementOverride = { present, reason: reason.trim(), by: actor.id, at: new Date().toISOString() };
      await m.query(
        `UPDATE cases SET element_overrides = element_overrides || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`,
        [kase.id, element, JSON.stringify(override)],
      );
      await audit(m, kase.id, actor.id, 'element.overridden', {
        element,
        checker: kase.checklist.elements[element]?.present ?? false,
        present,
        reasonText: await recordText(m, kase.id, actor.id, 'reason', override.reason),
      });
      return { reference, status: kase.status };
    });
  }

  /** Re-sorts a link the classifier got wrong; the original sorting is kept beside it. */
  overrideLinkSorting(
    reference: string,
    linkId: string,
    sorting: LinkSorting,
    reason: string,
    actor: Actor,
  ): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      const [link] = await this.links(m, kase.id, [linkId]);
      if (!link) throw new NotFoundException(`Case ${reference} has no link ${linkId}.`);
      const to = this.validSorting(sorting, link);
      if (link.status === LinkStatus.Approved) {
        throw new ConflictException(`The link ${link.url} is approved for takedown: reject it first, then re-sort it.`);
      }
      if (link.status === LinkStatus.TakenDown || link.status === LinkStatus.Referred) {
        throw new ConflictException(
          `The link ${link.url} is already ${link.status}; its sorting can no longer change.`,
        );
      }
      // A link that was ignored for its sorting becomes actionable (pending) when re-sorted, and the reverse.
      const waiting = link.status === LinkStatus.Pending || link.status === LinkStatus.Ignored;
      const actionable = isActionable(to.classification) && to.role === 'infringing';
      const status = waiting ? (actionable ? LinkStatus.Pending : LinkStatus.Ignored) : link.status;
      await m.query(
        `UPDATE reported_links
         SET classification = $2, provider = $3, role = $4,
             sorting_override = jsonb_build_object(
               'from', COALESCE(sorting_override->'from',
                                jsonb_build_object('classification', classification, 'provider', provider, 'role', role)),
               'reason', $5::text, 'by', $6::text, 'at', now())
         WHERE id = $1`,
        [link.id, to.classification, to.provider, to.role, reason.trim(), actor.id],
      );
      await moveLinks(m, {
        caseId: kase.id,
        actor: actor.id,
        moves: [{ linkIds: status === link.status ? [] : [link.id], to: status }],
        onRefused: 'refuse',
        event: {
          action: 'link.sorting_overridden',
          detail: {
            link: link.url,
            from: { classification: link.classification, provider: link.provider, role: link.role },
            to,
            reasonText: await recordText(m, kase.id, actor.id, 'reason', reason.trim()),
          },
        },
      });
      return { reference, status: kase.status, links: 1 };
    });
  }

  /**
   * Approves the takedown of the chosen links (by default every pending link on our site or at a storage provider,
   * and every referred storage file one of our pages still links to): held takedowns fall due now, as one round of
   * removals, and the worker acts on the rest (ApplyApproval). A referred link stays referred (the file is at its
   * provider): approving it releases the takedown of our own link to it (512(d)). The notice must be complete once
   * staff overrides are counted: approving an incomplete notice would act on a claim the law does not recognise.
   */
  approve(reference: string, linkIds: string[] | undefined, actor: Actor, reason?: string): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      if (kase.kind !== 'takedown') {
        throw new ConflictException(`Only a takedown notice's links can be approved; ${reference} is a ${kase.kind}.`);
      }
      const checklist = effectiveChecklist(kase.checklist, kase.element_overrides);
      if (!checklist.complete) {
        throw new ConflictException(
          `${reference} still lacks: ${checklist.missing.join(', ')}. Request the information, or override the elements you judge present, before approving.`,
        );
      }
      const held = await this.heldReferrals(m, kase.id);
      const links = linkIds ? await this.chosenLinks(m, kase, linkIds) : await this.pendingLinks(m, kase.id, held);
      for (const link of links) {
        if (!isActionable(link.classification)) {
          throw new ConflictException(
            `The link ${link.url} is sorted ${link.classification}: we can only act on our own links and storage files. Re-sort it first if that is wrong.`,
          );
        }
        if (!canMoveLink(link.status, LinkStatus.Approved) && !held.has(link.id)) {
          throw new ConflictException(`The link ${link.url} is ${link.status} and cannot be approved.`);
        }
      }
      if (links.length === 0) {
        throw new ConflictException(
          `${reference} has no pending links on our site or at storage providers to approve.`,
        );
      }
      const moved =
        kase.status !== Status.Actioned
          ? await this.transitions.apply(m, kase, Status.Actioned, actor.id, reason)
          : undefined;
      const reasonText = moved
        ? moved.reasonText
        : await recordText(m, kase.id, actor.id, 'reason', reason?.trim() || null);
      const ids = links.map((l) => l.id);
      const { event: approval } = await moveLinks(m, {
        caseId: kase.id,
        actor: actor.id,
        moves: [{ linkIds: links.filter((l) => !held.has(l.id)).map((l) => l.id), to: LinkStatus.Approved }],
        onRefused: 'refuse',
        event: {
          action: 'takedowns.approved',
          detail: { links: links.map((l) => l.url), reasonText },
        },
      });
      // The held takedowns fall due together: one round of removals, told in one letter per recipient.
      await m.query(
        `UPDATE takedowns SET status = 'pending', due_at = now(), round = $2
         WHERE reported_link_id = ANY($1::uuid[]) AND status = 'awaiting_approval'`,
        [ids, `approval-${approval}`],
      );
      await this.outbox.enqueue(m, [
        { queue: QueueName.Cases, name: JobName.ApplyApproval, data: { caseId: kase.id, approval } },
      ]);
      return { reference, status: kase.status, links: links.length };
    });
  }

  /**
   * Rejects the whole case (it moves to rejected), or only the chosen links, with a reason from a template or
   * written out (a written reason wins over the template's words). The sender gets the reason in a letter.
   */
  reject(
    reference: string,
    given: { templateId?: string; reason?: string; linkIds?: string[] },
    actor: Actor,
  ): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      const { reason, template } = await this.reasonFor(m, given);
      let links: LinkRow[];
      let action: 'links.rejected' | 'case.rejected';
      let reasonText: TextId;
      if (given.linkIds) {
        links = await this.chosenLinks(m, kase, given.linkIds);
        const stuck = links.find((l) => !canMoveLink(l.status, LinkStatus.Rejected));
        if (stuck) throw new ConflictException(`The link ${stuck.url} is ${stuck.status} and cannot be rejected.`);
        action = 'links.rejected';
        reasonText = await recordText(m, kase.id, actor.id, 'reason', reason);
      } else {
        // The move and the rejection give the same reason: one text, named by both events.
        const moved = await this.transitions.apply(m, kase, Status.Rejected, actor.id, reason);
        reasonText = moved.reasonText ?? (await recordText(m, kase.id, actor.id, 'reason', reason));
        links = (await this.links(m, kase.id)).filter(
          (l) => l.status !== LinkStatus.Ignored && canMoveLink(l.status, LinkStatus.Rejected),
        );
        action = 'case.rejected';
      }
      const ids = links.map((l) => l.id);
      // A sweep may be removing one of them right now (its lease is live and the site call is in flight): rejecting
      // it then could leave the link removed on the site but marked rejected here.
      const [inFlight] = await m.query<{ url: string }[]>(
        `SELECT l.url FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
         WHERE t.reported_link_id = ANY($1::uuid[]) AND t.status = 'pending' AND t.claimed_until > now() LIMIT 1`,
        [ids],
      );
      if (inFlight) {
        throw new ConflictException(`The link ${inFlight.url} is being taken down right now; try again in a minute.`);
      }
      // Takedowns not yet carried out are withdrawn; the audit event keeps the record of what was rejected.
      await m.query(
        `DELETE FROM takedowns WHERE reported_link_id = ANY($1::uuid[]) AND status IN ('awaiting_approval', 'pending')`,
        [ids],
      );
      const urls = given.linkIds ? links.map((l) => l.url) : [];
      const { event } = await moveLinks(m, {
        caseId: kase.id,
        actor: actor.id,
        moves: [{ linkIds: ids, to: LinkStatus.Rejected }],
        onRefused: 'refuse',
        event: { action, detail: { reasonText, template, links: urls } },
      });
      const letter = await this.letter(m, kase, LetterKind.Rejection, `reject-${event}`, { reason, links: urls });
      return { reference, status: kase.status, links: links.length, letter };
    });
  }

  /**
   * Puts back links that were taken down (a valid counter-notice once its waiting period is over, or a mistake),
   * with the reason; the worker restores them on the site (RestoreLinks).
   */
  restore(reference: string, linkIds: string[], reason: string, actor: Actor): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      const links = await this.chosenLinks(m, kase, linkIds);
      const stuck = links.find((l) => !canMoveLink(l.status, LinkStatus.Restored));
      if (stuck) {
        throw new ConflictException(
          `The link ${stuck.url} is ${stuck.status}: only a taken-down link can be restored.`,
        );
      }
      const { event: restoration } = await moveLinks(m, {
        caseId: kase.id,
        actor: actor.id,
        moves: [{ linkIds: links.map((l) => l.id), to: LinkStatus.Restored }],
        onRefused: 'refuse',
        event: {
          action: 'links.restored',
          detail: {
            links: links.map((l) => l.url),
            reasonText: await recordText(m, kase.id, actor.id, 'reason', reason.trim()),
          },
        },
      });
      await this.outbox.enqueue(m, [
        { queue: QueueName.Takedowns, name: JobName.RestoreLinks, data: { caseId: kase.id, restoration } },
      ]);
      return { reference, status: kase.status, links: links.length };
    });
  }

  /**
   * Asks the sender for what the notice lacks (by default every element missing once overrides are counted), with
   * an optional note, and moves the case to needs_info. Asking again while it waits sends another letter.
   */
  requestInfo(
    reference: string,
    given: { elements?: ElementName[]; message?: string },
    actor: Actor,
  ): Promise<ActionResult> {
    return this.withCase(reference, async (m, kase) => {
      const required = requiredElements(kase.kind);
      const elements = given.elements ?? effectiveChecklist(kase.checklist, kase.element_overrides).missing;
      const unknown = elements.filter((e) => !required.includes(e));
      if (unknown.length > 0) {
        throw new UnprocessableEntityException(
          `A ${kase.kind} notice has no element(s) ${unknown.join(', ')}; ask for any of: ${required.join(', ') || 'none'}.`,
        );
      }
      if (elements.length === 0) {
        throw new ConflictException(
          `Nothing is missing from ${reference}: name the elements to ask for, or mark one missing with an override.`,
        );
      }
      const message = given.message?.trim() || null;
      const moved =
        kase.status !== Status.NeedsInfo
          ? await this.transitions.apply(m, kase, Status.NeedsInfo, actor.id, message, { reasonKind: 'message' })
          : undefined;
      const messageText = moved ? moved.reasonText : await recordText(m, kase.id, actor.id, 'message', message);
      const event = await audit(m, kase.id, actor.id, 'info.requested', { elements, messageText });
      const letter = await this.letter(m, kase, LetterKind.Deficiency, `info-${event}`, {
        missing: elements.map((e) => ({ name: e, ...ELEMENT_LABELS[e] })),
        message,
      });
      return { reference, status: kase.status, letter };
    });
  }

  /** One action over many cases, each in its own transaction: one refusal does not undo the others. */
  async bulk(references: string[], action: BulkAction, actor: Actor): Promise<BulkResult[]> {
    const results: BulkResult[] = [];
    for (const reference of new Set(references)) {
      try {
        const done = await this.bulkOne(reference, action, actor);
        results.push({ reference, ok: true, status: done.status });
      } catch (error) {
        results.push({ reference, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  }

  private bulkOne(reference: string, action: BulkAction, actor: Actor): Promise<ActionResult> {
    switch (action.action) {
      case 'approve':
        return this.approve(reference, undefined, actor);
      case 'reject':
        return this.reject(reference, { templateId: action.templateId, reason: action.reason }, actor);
      case 'assign':
        return this.assign(reference, action.assigneeId, actor);
    }
  }

  /** Runs an action on the locked case; any staff action is the acknowledgement the service level asks for. */
  private async withCase<T>(reference: string, act: (m: EntityManager, kase: LockedCase) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<LockedCase[]>(
        `SELECT id, reference, status, kind, status_token, language, checklist, element_overrides
         FROM cases WHERE reference = $1 FOR UPDATE`,
        [reference],
      );
      if (!kase) throw new NotFoundException(`No case ${reference}.`);
      const result = await act(m, kase);
      await m.query(
        `UPDATE cases SET acknowledged_at = COALESCE(acknowledged_at, now()), updated_at = now() WHERE id = $1`,
        [kase.id],
      );
      return result;
    });
  }

  private async assignable(m: EntityManager, id: string): Promise<{ name: string }> {
    const [user] = await m.query<{ name: string; role: string; disabled_at: Date | null }[]>(
      `SELECT name, role, disabled_at FROM staff_users WHERE id = $1`,
      [id],
    );
    if (!user) throw new UnprocessableEntityException(`No staff member ${id}.`);
    if (user.disabled_at) throw new UnprocessableEntityException(`${user.name}'s account is disabled.`);
    if (user.role === 'viewer') {
      throw new UnprocessableEntityException(`${user.name} has the viewer role and cannot work cases.`);
    }
    return user;
  }

  private links(m: EntityManager, caseId: string, ids?: string[]): Promise<LinkRow[]> {
    return m.query<LinkRow[]>(
      `SELECT id, url, classification, provider, role, status FROM reported_links
       WHERE case_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY position`,
      [caseId, ids ?? null],
    );
  }

  private async chosenLinks(m: EntityManager, kase: LockedCase, ids: string[]): Promise<LinkRow[]> {
    if (ids.length === 0) throw new UnprocessableEntityException('Choose at least one link.');
    const links = await this.links(m, kase.id, ids);
    const known = new Set(links.map((l) => l.id));
    const strangers = ids.filter((id) => !known.has(id));
    if (strangers.length > 0) {
      throw new UnprocessableEntityException(`Not links of ${kase.reference}: ${strangers.join(', ')}.`);
    }
    return links;
  }

  /**
   * "All links": those the complainant reported as infringing that are still waiting, any not found before, and
   * referred files whose takedown of our link to them waits for approval.
   */
  private async pendingLinks(m: EntityManager, caseId: string, held: ReadonlySet<string>): Promise<LinkRow[]> {
    return (await this.links(m, caseId)).filter(
      (l) =>
        held.has(l.id) ||
        (l.role === 'infringing' &&
          isActionable(l.classification) &&
          (l.status === LinkStatus.Pending || l.status === LinkStatus.NotFound)),
    );
  }

  /** Referred links with a held takedown of our own link to the file (512(d)): approving them releases it. */
  private async heldReferrals(m: EntityManager, caseId: string): Promise<Set<string>> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT DISTINCT l.id FROM reported_links l JOIN takedowns t ON t.reported_link_id = l.id
       WHERE l.case_id = $1 AND l.status = 'referred' AND t.status = 'awaiting_approval' AND t.reason = 'outbound_link'`,
      [caseId],
    );
    return new Set(rows.map((r) => r.id));
  }

  private validSorting(given: LinkSorting, link: LinkRow): Required<LinkSorting> {
    if (!CLASSIFICATIONS.includes(given.classification)) {
      throw new UnprocessableEntityException(`classification must be one of ${CLASSIFICATIONS.join(', ')}.`);
    }
    const role = given.role ?? link.role;
    if (!ROLES.includes(role)) throw new UnprocessableEntityException(`role must be one of ${ROLES.join(', ')}.`);
    if (given.classification !== 'external_disk') return { classification: given.classification, provider: null, role };
    const provider = given.provider ?? link.provider;
    if (!provider || !this.registry.byId(provider)) {
      throw new UnprocessableEntityException(
        `A storage-provider link needs a provider from the registry (GET /api/v1/staff/providers lists them); got ${provider ?? 'none'}.`,
      );
    }
    return { classification: given.classification, provider, role };
  }

  private async reasonFor(
    m: EntityManager,
    given: { templateId?: string; reason?: string },
  ): Promise<{ reason: string; template: string | null }> {
    let template: { title: string; body: string } | undefined;
    if (given.templateId) {
      [template] = await m.query<{ title: string; body: string }[]>(
        `SELECT title, body FROM reason_templates WHERE id = $1 AND archived_at IS NULL`,
        [given.templateId],
      );
      if (!template) throw new UnprocessableEntityException(`No reason template ${given.templateId} in use.`);
    }
    const reason = given.reason?.trim() || template?.body;
    if (!reason) throw new UnprocessableEntityException('Choose a reason template or write a reason.');
    return { reason, template: template?.title ?? null };
  }

  private async letter(
    m: EntityManager,
    kase: LockedCase,
    kind: LetterKind,
    occasion: string,
    context: object,
  ): Promise<LetterOutcome> {
    const recipient = await complainantAddress(m, this.vault, kase.id);
    await this.letters.record(
      m,
      { id: kase.id, reference: kase.reference, statusToken: kase.status_token, language: kase.language },
      kind,
      occasion,
      recipient,
      context,
    );
    return recipient && isValidEmail(recipient) ? 'queued' : 'no_recipient';
  }
}
