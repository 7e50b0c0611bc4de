import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChecklistResult, ElementName, StructuredNotice } from '../checklist';
import { ELEMENT_LABELS } from '../checklist';
import { SITE_ADAPTER, type SiteAdapter } from '../site/site-adapter';
import type { CaseStatus, ElementOverrides } from '../cases/case.entity';
import { auditTexts, type CaseTextValue } from '../cases/case-texts';
import { allowedTransitions } from '../cases/case-workflow';
import { effectiveChecklist } from '../cases/effective-checklist';
import { LINK_TRANSITIONS } from '../cases/link-workflow';
import type { LinkStatus, SortingOverride } from '../cases/reported-link.entity';
import { overdue } from '../cases/sla';
import { openChecklists } from '../cases/sealed-checklist';
import { withheldCases } from '../cases/withheld-cases';
import { PersonalData, WITHHELD } from '../core/privacy/personal-data.service';
import { legalHoldsOf, type LegalHoldView } from './legal-holds.service';
import { appendTo } from '../core/collections';

/** Links per case page whose catalog match is looked up live (the rest show what the router recorded). */
const LIVE_MATCH_LIMIT = 200;

export interface CaseDetail {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: string;
  createdAt: Date;
  updatedAt: Date;
  statusToken: string;
  allowedTransitions: readonly CaseStatus[];
  sla: {
    ackDueAt: Date | null;
    actionDueAt: Date | null;
    acknowledgedAt: Date | null;
    overdue: 'acknowledge' | 'action' | null;
  };
  assignee: { id: string; name: string } | null;
  agency: { id: string; name: string } | null;
  checklist: {
    kind: string;
    complete: boolean;
    missing: ElementName[];
    elements: {
      name: ElementName;
      title: string;
      present: boolean;
      checker: boolean;
      evidence: string[];
      override: ElementOverrides[ElementName] | null;
    }[];
  };
  searchTerms: string[];
  searchMatches: { slug: string; title: string; url: string }[];
  notices: {
    id: string;
    channel: string;
    receivedAt: Date;
    text: string | null;
    structured: StructuredNotice | null;
    senderEmail: string | null;
    flags: string[];
    auth: Record<string, unknown> | null;
  }[];
  parties: {
    role: string;
    name: string | null;
    company: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
  }[];
  links: {
    id: string;
    url: string;
    raw: string;
    classification: string;
    provider: string | null;
    role: string;
    /** What decided the role, and the classifier's note, as the sorter recorded them. */
    roleReason: string | null;
    classificationNote: string | null;
    status: LinkStatus;
    next: readonly LinkStatus[];
    sortingOverride: SortingOverride | null;
    takedowns: {
      siteRef: string;
      reason: string;
      status: string;
      dueAt: Date | null;
      doneAt: Date | null;
      verifiedAt: Date | null;
      attempts: number;
      lastError: string | null;
    }[];
    /** What the site has at this URL now, for links nothing has been done to yet; null when not looked up. */
    catalogMatch: string[] | null;
  }[];
  referrals: { provider: string; linkCount: number; channel: object; createdAt: Date }[];
  /** The case's counter-notices (512(g)), newest last, with their restore dates and any suit that stopped one. */
  counterNotices: {
    id: string;
    receivedAt: Date;
    status: string;
    channel: string;
    counterNotifier: {
      name: string | null;
      email: string | null;
      phone: string | null;
      address: string | null;
      country: string | null;
    };
    removedUrls: string[];
    problems: string[];
    missing: ElementName[];
    restoreNotBefore: Date | null;
    restoreNotAfter: Date | null;
    restoreDueAt: Date | null;
    forwardedAt: Date | null;
    restoredAt: Date | null;
    /** Past its last restore day and not restored (no suit stops it): an alert. */
    overdue: boolean;
    suit: { court: string; docketNumber: string; filedOn: string } | null;
  }[];
  letters: {
    id: string;
    kind: string;
    recipient: string | null;
    subject: string;
    text: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: Date;
    sentAt: Date | null;
    /** Held by the per-recipient letter cap until then (kept once sent). */
    heldUntil: Date | null;
  }[];
  inbound: {
    id: string;
    channel: string;
    envelopeFrom: string | null;
    status: string;
    reason: string | null;
    receivedAt: Date;
    /** When retention removed the raw message and its attachments; the record of it stays. */
    rawRemovedAt: Date | null;
  }[];
  audit: {
    id: string;
    at: Date;
    actor: string;
    actorName: string | null;
    action: string;
    /** As recorded: ids, statuses and the like; words people wrote are named by a field ending in "Text". */
    detail: object;
    /** The words behind each of detail's text fields, by field (reasonText, noteText, messageText). */
    texts: Record<string, CaseTextValue>;
  }[];
  /** Legal holds, in force (releasedAt null) or released, oldest first. */
  legalHolds: LegalHoldView[];
  /** When retention erased the parties' personal data, the case being closed long enough. */
  personalDataErasedAt: Date | null;
}

interface CaseRow {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: string;
  created_at: Date;
  updated_at: Date;
  status_token: string;
  checklist: ChecklistResult;
  element_overrides: ElementOverrides;
  search_terms: string[];
  search_matches: CaseDetail['searchMatches'];
  ack_due_at: Date | null;
  action_due_at: Date | null;
  acknowledged_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  agency_id: string | null;
  agency_name: string | null;
  personal_data_erased_at: Date | null;
}

/** Everything staff see on a case page, read in a handful of queries. */
@Injectable()
export class CaseDetailService {
  private readonly logger = new Logger(CaseDetailService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
    private readonly vault: PersonalData,
  ) {}

  async get(reference: string, now = new Date()): Promise<CaseDetail> {
    const db = this.dataSource;
    const [c] = await db.query<CaseRow[]>(
      `SELECT c.*, u.name AS assignee_name, a.name AS agency_name
       FROM cases c LEFT JOIN staff_users u ON u.id = c.assignee_id LEFT JOIN agencies a ON a.id = c.agency_id
       WHERE c.reference = $1`,
      [reference],
    );
    if (!c) throw new NotFoundException(`No case ${reference}.`);
    // Each query names its columns as CaseDetail does, so rows are the answer's shapes as they come.
    type CounterNoticeRow = Omit<
      CaseDetail['counterNotices'][number],
      'counterNotifier' | 'missing' | 'overdue' | 'suit'
    > & {
      notifier_name: string | null;
      notifier_email: string | null;
      notifier_phone: string | null;
      notifier_address: string | null;
      notifier_country: string | null;
      checklist: { missing: ElementName[] };
      suit_court: string | null;
      suit_docket_number: string | null;
      suit_filed_on: string | null;
    };
    type Link = Omit<CaseDetail['links'][number], 'next' | 'takedowns' | 'catalogMatch'>;
    type Takedown = CaseDetail['links'][number]['takedowns'][number] & { linkId: string };
    const [notices, parties, links, takedowns, referrals, counterNotices, letters, inbound, audit, legalHolds] =
      await Promise.all([
        db.query<CaseDetail['notices']>(
          `SELECT id, channel, received_at AS "receivedAt", raw_text AS text, structured, sender_email AS "senderEmail",
                flags, auth
         FROM notices WHERE case_id = $1 ORDER BY received_at, id`,
          [c.id],
        ),
        db.query<CaseDetail['parties']>(
          `SELECT role, name, company, email, phone, address FROM parties WHERE case_id = $1 ORDER BY role, id`,
          [c.id],
        ),
        db.query<Link[]>(
          `SELECT id, url, raw, classification, provider, role, role_reason AS "roleReason",
                classification_note AS "classificationNote", status, sorting_override AS "sortingOverride"
         FROM reported_links WHERE case_id = $1 ORDER BY position, id`,
          [c.id],
        ),
        db.query<Takedown[]>(
          `SELECT reported_link_id AS "linkId", site_ref AS "siteRef", reason, status, due_at AS "dueAt",
                done_at AS "doneAt", verified_at AS "verifiedAt", attempts, last_error AS "lastError"
         FROM takedowns WHERE case_id = $1 ORDER BY created_at, site_ref`,
          [c.id],
        ),
        db.query<CaseDetail['referrals']>(
          `SELECT provider, link_count AS "linkCount", channel, created_at AS "createdAt"
         FROM referrals WHERE case_id = $1 ORDER BY created_at`,
          [c.id],
        ),
        db.query<CounterNoticeRow[]>(
          `SELECT id, received_at AS "receivedAt", status, channel, notifier_name, notifier_email, notifier_phone,
                notifier_address, notifier_country, removed_urls AS "removedUrls", problems, checklist,
                restore_not_before AS "restoreNotBefore", restore_not_after AS "restoreNotAfter",
                restore_due_at AS "restoreDueAt", forwarded_at AS "forwardedAt", restored_at AS "restoredAt",
                suit_court, suit_docket_number, to_char(suit_filed_on, 'YYYY-MM-DD') AS suit_filed_on
         FROM counter_notices WHERE case_id = $1 ORDER BY received_at, id`,
          [c.id],
        ),
        db.query<CaseDetail['letters']>(
          `SELECT id, kind, recipient, subject, text, status, attempts, last_error AS "lastError",
                created_at AS "createdAt", sent_at AS "sentAt",
                held_until AS "heldUntil"
         FROM letters WHERE case_id = $1 ORDER BY created_at, id`,
          [c.id],
        ),
        db.query<CaseDetail['inbound']>(
          `SELECT id, channel, envelope_from AS "envelopeFrom", status, reason, received_at AS "receivedAt",
                raw_removed_at AS "rawRemovedAt"
         FROM inbound_messages WHERE case_id = $1 ORDER BY received_at, id`,
          [c.id],
        ),
        db.query<Omit<CaseDetail['audit'][number], 'texts'>[]>(
          `SELECT e.id, e.at, e.actor, u.name AS "actorName", e.action, e.detail
         FROM audit_events e LEFT JOIN staff_users u ON u.id::text = e.actor
         WHERE e.case_id = $1 ORDER BY e.id`,
          [c.id],
        ),
        legalHoldsOf(db, c.id),
      ]);

    await this.openPersonalData(c, { notices, parties, counterNotices, letters, inbound });

    const byLink = new Map<string, CaseDetail['links'][number]['takedowns']>();
    for (const { linkId, ...takedown } of takedowns) appendTo(byLink, linkId, takedown);
    const matches = await this.catalogMatches(links.filter((l) => !byLink.has(l.id)));

    const texts = await auditTexts(
      db,
      audit.map((e) => e.detail),
    );
    const effective = effectiveChecklist(c.checklist, c.element_overrides);
    return {
      id: c.id,
      reference: c.reference,
      status: c.status,
      kind: c.kind,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      statusToken: c.status_token,
      allowedTransitions: allowedTransitions(c.status),
      sla: {
        ackDueAt: c.ack_due_at,
        actionDueAt: c.action_due_at,
        acknowledgedAt: c.acknowledged_at,
        overdue: overdue(
          { status: c.status, ackDueAt: c.ack_due_at, actionDueAt: c.action_due_at, acknowledgedAt: c.acknowledged_at },
          now,
        ),
      },
      assignee: c.assignee_id ? { id: c.assignee_id, name: c.assignee_name ?? '' } : null,
      agency: c.agency_id ? { id: c.agency_id, name: c.agency_name ?? '' } : null,
      checklist: {
        kind: effective.kind,
        complete: effective.complete,
        missing: effective.missing,
        elements: Object.keys(ELEMENT_LABELS)
          .filter((name): name is ElementName => effective.elements[name as ElementName] !== undefined)
          .map((name) => ({
            name,
            title: ELEMENT_LABELS[name].title,
            present: effective.elements[name]?.present ?? false,
            checker: c.checklist.elements[name]?.present ?? false,
            evidence: effective.elements[name]?.evidence ?? [],
            override: c.element_overrides[name] ?? null,
          })),
      },
      searchTerms: c.search_terms,
      searchMatches: c.search_matches,
      notices,
      parties,
      links: links.map((l) => ({
        ...l,
        next: LINK_TRANSITIONS[l.status],
        takedowns: byLink.get(l.id) ?? [],
        catalogMatch: matches?.get(l.url) ?? (matches ? [] : null),
      })),
      referrals,
      counterNotices: counterNotices.map((n) => ({
        id: n.id,
        receivedAt: n.receivedAt,
        status: n.status,
        channel: n.channel,
        counterNotifier: {
          name: n.notifier_name,
          email: n.notifier_email,
          phone: n.notifier_phone,
          address: n.notifier_address,
          country: n.notifier_country,
        },
        removedUrls: n.removedUrls,
        problems: n.problems,
        missing: n.checklist.missing,
        restoreNotBefore: n.restoreNotBefore,
        restoreNotAfter: n.restoreNotAfter,
        restoreDueAt: n.restoreDueAt,
        forwardedAt: n.forwardedAt,
        restoredAt: n.restoredAt,
        overdue: n.status === 'forwarded' && n.restoreNotAfter !== null && now > n.restoreNotAfter,
        suit: n.suit_court
          ? { court: n.suit_court, docketNumber: n.suit_docket_number ?? '', filedOn: n.suit_filed_on ?? '' }
          : null,
      })),
      letters,
      inbound,
      audit: audit.map((e, i) => ({ ...e, texts: texts[i] })),
      legalHolds,
      personalDataErasedAt: c.personal_data_erased_at,
    };
  }

  /**
   * Opens what the page shows of the parties' personal data, in one batch: an erased person reads ERASED, a withheld
   * one WITHHELD. While someone in the case is withheld, its letters' words are withheld too: a letter to one party
   * may quote another.
   */
  private async openPersonalData(
    c: CaseRow,
    rows: {
      notices: CaseDetail['notices'];
      parties: CaseDetail['parties'];
      counterNotices: {
        notifier_name: string | null;
        notifier_email: string | null;
        notifier_phone: string | null;
        notifier_address: string | null;
        notifier_country: string | null;
      }[];
      letters: CaseDetail['letters'];
      inbound: CaseDetail['inbound'];
    },
  ): Promise<void> {
    const m = this.dataSource.manager;
    const withheld = (await withheldCases(m, [c.id])).has(c.id);
    const [checklist] = await openChecklists(this.vault, m, [c.checklist]);
    c.checklist = checklist;
    await Promise.all([
      this.vault.openRows(m, rows.notices, ['text', 'senderEmail']),
      this.vault.openRows(m, rows.parties, ['name', 'company', 'email', 'phone', 'address']),
      this.vault.openRows(m, rows.counterNotices, [
        'notifier_name',
        'notifier_email',
        'notifier_phone',
        'notifier_address',
        'notifier_country',
      ]),
      this.vault.openRows(m, rows.letters, ['recipient', 'subject', 'text']),
      this.vault.openRows(m, rows.inbound, ['envelopeFrom']),
    ]);
    for (const n of rows.notices) {
      n.structured = await this.vault.openJson<StructuredNotice>(m, n.structured);
      if (withheld) n.text = WITHHELD;
    }
    if (withheld) for (const l of rows.letters) Object.assign(l, { subject: WITHHELD, text: WITHHELD });
  }

  /**
   * What the site has now for links nothing has been done to: the catalog's refs for each URL. The adapter may be
   * remote; when it fails the page still shows, without matches (null).
   */
  private async catalogMatches(
    links: { url: string; classification: string }[],
  ): Promise<Map<string, string[]> | null> {
    const internal = links.filter((l) => l.classification === 'internal').slice(0, LIVE_MATCH_LIMIT);
    const disk = links.filter((l) => l.classification === 'external_disk').slice(0, LIVE_MATCH_LIMIT);
    try {
      const [ours, outbound] = await Promise.all([
        internal.length ? this.site.findInternal(internal.map((l) => l.url)) : [],
        disk.length ? this.site.findOutbound(disk.map((l) => l.url)) : [],
      ]);
      const matches = new Map<string, string[]>();
      for (const s of [...ours, ...outbound]) appendTo(matches, s.url, s.ref);
      return matches;
    } catch (error) {
      this.logger.warn(`Catalog lookup failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
