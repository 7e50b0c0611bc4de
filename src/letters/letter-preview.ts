import type { Locale } from '../core/i18n/locales';
import type { DataSource } from 'typeorm';
import type { AuditDetails } from '../cases/audit-actions';
import { textOf } from '../cases/case-texts';
import { type ChecklistResult, ELEMENT_LABELS } from '../checklist';
import type { ProviderRegistry } from '../links';
import type { SiteAdapter } from '../site/site-adapter';
import { counterNoticeForLetter, counterNoticeLetterContext } from './counter-notice-letters';
import { LetterKind } from './letter.entity';
import { claimOf } from './uploader-letter';
import type { LettersService, RenderedLetter } from './letters.service';
import { type RemovedLink, removedByUploader, takedownDoneContext, uploadedLinks } from './removed-links';
import { DomainError } from '../core/errors';
import type { PersonalData } from '../core/privacy/personal-data.service';

/** A letter that cannot be previewed for this case; the message says why. */
export class LetterPreviewError extends DomainError {
  readonly kind = 'invalid';
}

interface CaseRow {
  id: string;
  reference: string;
  status_token: string;
  language: Locale;
  kind: string;
  checklist: ChecklistResult;
}

export interface LetterPreview extends RenderedLetter {
  kind: LetterKind;
  /** Who the pipeline addresses it to, where that is known from the case alone. */
  recipient?: string;
}

/**
 * Renders a letter for an existing case as the pipeline would, from what the case records now: the same
 * renderer (LettersService.render) and the same context. For staff and template authors; records nothing.
 */
export async function previewLetter(
  ds: DataSource,
  letters: LettersService,
  deps: { site: SiteAdapter; registry: ProviderRegistry; vault: PersonalData },
  reference: string,
  name: string,
): Promise<LetterPreview> {
  const kind = Object.values(LetterKind).find((k) => k === (name as LetterKind));
  if (!kind) {
    throw new LetterPreviewError(`Unknown letter "${name}"; the letters are ${Object.values(LetterKind).join(', ')}.`);
  }
  const [kase] = await ds.query<CaseRow[]>(
    `SELECT id, reference, status_token, language, kind, checklist FROM cases WHERE reference = $1`,
    [reference],
  );
  if (!kase) throw new LetterPreviewError(`No case ${reference}.`);
  const letterCase = {
    id: kase.id,
    reference: kase.reference,
    statusToken: kase.status_token,
    language: kase.language,
  };
  const missing = kase.checklist.missing.map((e) => ({ name: e, ...ELEMENT_LABELS[e] }));

  switch (kind) {
    case LetterKind.Receipt: {
      const [deficiency] = await ds.query<unknown[]>(`SELECT 1 FROM letters WHERE case_id = $1 AND kind = $2`, [
        kase.id,
        LetterKind.Deficiency,
      ]);
      const context = { kind: kase.kind, complete: kase.checklist.complete, deficiencyLetter: !!deficiency, missing };
      return { kind, ...letters.render(letterCase, kind, context) };
    }
    case LetterKind.Deficiency:
      if (missing.length === 0) throw new LetterPreviewError(`${reference} is complete: it has no deficiency letter.`);
      return { kind, ...letters.render(letterCase, kind, { missing }) };
    case LetterKind.Referral: {
      const providers = await referredProviders(ds, deps.registry, kase.id);
      if (providers.length === 0) throw new LetterPreviewError(`${reference} has no referrals.`);
      return { kind, ...letters.render(letterCase, kind, { providers }) };
    }
    case LetterKind.TakedownDone: {
      const { removed, at } = await removedLinks(ds, kase.id);
      if (removed.length === 0) throw new LetterPreviewError(`${reference} has no links taken down yet.`);
      return { kind, ...letters.render(letterCase, kind, takedownDoneContext(removed, at)) };
    }
    case LetterKind.Uploader: {
      const { removed, at } = await removedLinks(ds, kase.id);
      const [first] = removedByUploader(removed, await uploadedLinks(deps.site, removed));
      if (!first) throw new LetterPreviewError(`${reference} has removed no link whose page names an uploader.`);
      const [recipient, links] = first;
      // The preview records nothing, so it shows no status link of the uploader's (the sweep makes one as it writes).
      const claim = await claimOf(ds.manager, deps.vault, kase.id);
      return { kind, recipient, ...letters.render(letterCase, kind, { removed: links, at, claim }) };
    }
    case LetterKind.UploaderTerminated:
    case LetterKind.UploaderReinstated: {
      // Letters about an account, not a case's removals: shown with sample figures beside the case's reference.
      const context = {
        reference: 'TERM-PREVIEW',
        activeStrikes: 3,
        threshold: 3,
        at: new Date(),
        policyUrl: '/policy/repeat-infringers',
        uploaderStatusUrl: null,
      };
      return { kind, ...letters.render(letterCase, kind, context) };
    }
    case LetterKind.NotifierWarning:
    case LetterKind.NotifierSuspended:
    case LetterKind.NotifierNoticeHeld:
    case LetterKind.NotifierLifted: {
      // Letters about the notifier, not the case: shown with sample values.
      const context = { reason: '(the reasons staff give)', until: new Date() };
      return { kind, ...letters.render(letterCase, kind, context) };
    }
    case LetterKind.ComplaintReceived:
    case LetterKind.ComplaintDecided: {
      const context = {
        subject: 'removal',
        outcome: 'upheld',
        answer: '(the reasons staff give)',
        decidedAt: new Date(),
        complaint: { id: 'preview', subject: 'removal', by: 'uploader' },
        ownStatusUrl: null,
      };
      return { kind, ...letters.render(letterCase, kind, context) };
    }
    case LetterKind.CounterNoticeForward:
    case LetterKind.CounterNoticeReceipt:
    case LetterKind.CounterNoticeDeficiency:
    case LetterKind.CounterNoticeRestored:
    case LetterKind.CounterNoticeSuit:
    case LetterKind.CounterNoticeWithdrawn: {
      const counter = await counterNoticeForLetter(ds, deps.vault, kase.id);
      if (!counter) throw new LetterPreviewError(`${reference} has no counter-notice.`);
      return { kind, ...letters.render(letterCase, kind, counterNoticeLetterContext(counter)) };
    }
    case LetterKind.RetractionConfirmed:
    case LetterKind.ReferralRetracted:
    case LetterKind.RetractionRestored: {
      const [retracted] = await ds.query<{ detail: AuditDetails['notice.retracted'] }[]>(
        `SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'notice.retracted' ORDER BY id DESC LIMIT 1`,
        [kase.id],
      );
      if (!retracted) throw new LetterPreviewError(`${reference} has not been retracted.`);
      const { reasonText, ...detail } = retracted.detail;
      const context = { ...detail, reason: await textOf(ds, reasonText), links: detail.urls };
      return { kind, ...letters.render(letterCase, kind, context) };
    }
    case LetterKind.Rejection: {
      const [rejected] = await ds.query<{ detail: AuditDetails['case.rejected'] }[]>(
        `SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'case.rejected' ORDER BY id DESC LIMIT 1`,
        [kase.id],
      );
      if (!rejected) throw new LetterPreviewError(`${reference} has not been rejected: staff write its reason.`);
      const context = { reason: await textOf(ds, rejected.detail.reasonText), links: rejected.detail.links ?? [] };
      return { kind, ...letters.render(letterCase, kind, context) };
    }
  }
}

async function removedLinks(ds: DataSource, caseId: string): Promise<{ removed: RemovedLink[]; at: Date }> {
  const rows = await ds.query<{ site_ref: string; url: string; reason: string; done_at: Date }[]>(
    `SELECT t.site_ref, l.url, t.reason, t.done_at FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
     WHERE t.case_id = $1 AND t.status = 'done' ORDER BY t.done_at, l.url`,
    [caseId],
  );
  return {
    removed: rows.map((r) => ({ siteRef: r.site_ref, url: r.url, outbound: r.reason === 'outbound_link' })),
    at: rows.at(-1)?.done_at ?? new Date(),
  };
}

/** The referral letter's providers, as the router groups them: each with its channel and the links it hosts. */
async function referredProviders(
  ds: DataSource,
  registry: ProviderRegistry,
  caseId: string,
): Promise<{ id: string; name: string; channel: object; links: string[] }[]> {
  const rows = await ds.query<{ provider: string; channel: object; links: string[] }[]>(
    `SELECT r.provider, r.channel,
            array(SELECT url FROM reported_links l WHERE l.case_id = r.case_id AND l.provider = r.provider
                    AND l.role = 'infringing' AND l.classification = 'external_disk' ORDER BY url) AS links
     FROM referrals r WHERE r.case_id = $1 ORDER BY r.created_at, r.provider`,
    [caseId],
  );
  return rows.map((r) => ({
    id: r.provider,
    name: registry.byId(r.provider)?.name ?? r.provider,
    channel: r.channel,
    links: r.links,
  }));
}
