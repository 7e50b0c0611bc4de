import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChecklistResult, ElementName } from '../checklist';
import { COUNTER_NOTICE_ELEMENTS, ELEMENT_LABELS, type ElementResult, TAKEDOWN_ELEMENTS } from '../checklist';
import { type TakedownConfig, takedownConfig } from '../core/config';
import { redactPersonalData } from '../core/privacy/redact';
import type { LinkClassification, LinkRole } from '../links';
import { linkAction } from '../cases/link-action';
import { CaseStatus } from '../cases/case.entity';
import { openChecklists } from '../cases/sealed-checklist';
import { PersonalData } from '../core/privacy/personal-data.service';
import type { Locale } from '../core/i18n/locales';

/**
 * Elements whose evidence is the sender's own identity (name, address, phone, signature): the status page says
 * whether they are present and never quotes them.
 */
const PERSONAL_ELEMENTS = new Set<ElementName>(['contact', 'signature', 'authority']);

/** How many links the status page lists; the counts cover them all. */
const LINKS_SHOWN = 500;

export interface CaseStatusView {
  reference: string;
  status: CaseStatus;
  kind: string;
  /** The case's language: the status page is shown in it unless the reader picks another. */
  language: Locale;
  receivedAt: Date;
  nextStep: string;
  checklist: { element: ElementName; title: string; present: boolean; evidence: string[]; howToSupply: string }[];
  missing: ElementName[];
  links: {
    url: string;
    classification: string;
    provider: string | null;
    role: string;
    status: string;
    action: string;
  }[];
  linkCount: number;
  linkCounts: Record<string, number>;
  referrals: { provider: string; links: number; channel: { email?: string; webForm?: string } }[];
  searchMatches: { slug: string; title: string; url: string }[];
  /** The uploader's counter-notices, as the complainant may see them: status and restore day, not who sent them. */
  counterNotices: { id: string; status: string; restoreDueAt: Date | null; receivedAt: Date }[];
  /** Whether a counter-notice's restoration is waiting, which a suit notice from the complainant would stop. */
  canReportSuit: boolean;
}

/**
 * What the sender sees through the status link. The link may be forwarded, so personal data in the evidence is
 * redacted; the sender's own notice is not shown again in full.
 */
@Injectable()
export class CaseStatusService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(takedownConfig.KEY) private readonly takedown: TakedownConfig,
    private readonly vault: PersonalData,
  ) {}

  async byToken(token: string): Promise<CaseStatusView> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new NotFoundException('No case has this status link.');
    const [kase] = await this.dataSource.query<
      {
        id: string;
        reference: string;
        status: CaseStatus;
        kind: string;
        language: Locale;
        checklist: ChecklistResult;
        search_matches: CaseStatusView['searchMatches'];
        created_at: Date;
        awaiting_approval: boolean;
      }[]
    >(
      // Whether the auto-action policy held this case's takedowns for a person: what its links' actions say.
      `SELECT id, reference, status, kind, language, checklist, search_matches, created_at,
              EXISTS (SELECT 1 FROM takedowns t WHERE t.case_id = cases.id AND t.status = 'awaiting_approval')
                AS awaiting_approval
       FROM cases WHERE status_token = $1`,
      [token],
    );
    if (!kase) throw new NotFoundException('No case has this status link.');
    [kase.checklist] = await openChecklists(this.vault, this.dataSource.manager, [kase.checklist]);
    const [links, counts, referrals, counterNotices] = await Promise.all([
      this.dataSource.query<
        { url: string; classification: LinkClassification; provider: string | null; role: LinkRole; status: string }[]
      >(
        `SELECT url, classification, provider, role, status FROM reported_links WHERE case_id = $1 ORDER BY position LIMIT $2`,
        [kase.id, LINKS_SHOWN],
      ),
      this.dataSource.query<{ status: string; n: number }[]>(
        `SELECT status, count(*)::int AS n FROM reported_links WHERE case_id = $1 GROUP BY status`,
        [kase.id],
      ),
      this.dataSource.query<{ provider: string; link_count: number; channel: { email?: string; webForm?: string } }[]>(
        `SELECT provider, link_count, channel FROM referrals WHERE case_id = $1 ORDER BY provider`,
        [kase.id],
      ),
      this.dataSource.query<CaseStatusView['counterNotices']>(
        `SELECT id, status, restore_due_at AS "restoreDueAt", received_at AS "receivedAt" FROM counter_notices
         WHERE case_id = $1 AND status <> 'invalid' ORDER BY received_at`,
        [kase.id],
      ),
    ]);
    const linkCounts = Object.fromEntries(counts.map((c) => [c.status, c.n]));
    return {
      reference: kase.reference,
      status: kase.status,
      kind: kase.kind,
      language: kase.language,
      receivedAt: kase.created_at,
      nextStep: nextStep(kase.status, kase.checklist),
      checklist: inListOrder(kase.checklist).map(([element, r]) => ({
        element,
        title: ELEMENT_LABELS[element].title,
        howToSupply: ELEMENT_LABELS[element].howToSupply,
        present: r.present,
        evidence: PERSONAL_ELEMENTS.has(element) ? [] : r.evidence.map(redactPersonalData),
      })),
      missing: kase.checklist.missing,
      links: links.map((l) => ({
        ...l,
        action: linkAction(l, kase.checklist, kase.awaiting_approval || this.takedown.requireApproval),
      })),
      linkCount: Object.values(linkCounts).reduce((a, b) => a + b, 0),
      linkCounts,
      referrals: referrals.map((r) => ({ provider: r.provider, links: r.link_count, channel: r.channel })),
      searchMatches: kase.search_matches ?? [],
      counterNotices,
      canReportSuit: counterNotices.some((n) => n.status === 'forwarded' || n.status === 'in_review'),
    };
  }
}

/** The elements in the statute's order (jsonb keeps object keys in an order of its own). */
function inListOrder(checklist: ChecklistResult): [ElementName, ElementResult][] {
  const order: readonly ElementName[] =
    checklist.kind === 'counter_notice' ? COUNTER_NOTICE_ELEMENTS : TAKEDOWN_ELEMENTS;
  return order.flatMap((e) => {
    const r = checklist.elements[e];
    return r ? [[e, r] as [ElementName, ElementResult]] : [];
  });
}

function nextStep(status: CaseStatus, checklist: ChecklistResult): string {
  switch (status) {
    case CaseStatus.Received:
      return 'Your notice is complete. We are matching its links against our site; takedowns follow shortly.';
    case CaseStatus.NeedsInfo:
      return `Your notice is missing ${checklist.missing.length} required element(s), listed below. Reply to our letter or file a corrected notice; nothing is removed until the notice is complete.`;
    case CaseStatus.InReview:
      return 'Our legal staff are reviewing this case. You will hear from us by email.';
    case CaseStatus.Actioned:
      return 'We have acted on this notice: our own links are removed, and links on other services are referred to those services, as listed below.';
    case CaseStatus.Closed:
      return 'This case is closed.';
    case CaseStatus.Rejected:
      return 'This notice was rejected. Our letter explains why.';
    case CaseStatus.Withdrawn:
      return 'This notice was withdrawn.';
  }
}
