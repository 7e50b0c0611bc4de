import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ElementName } from '../checklist';
import type { CaseStatus, ElementOverrides } from '../cases/case.entity';
import { effectiveChecklist } from '../cases/effective-checklist';
import { OVERDUE_SQL, overdue } from '../cases/sla';
import { PersonalData } from '../core/privacy/personal-data.service';
import { notifierCasesSql, notifierKeySql } from '../notifiers/notifier-key';
import { NOTIFIER_RECORDS_SQL, notifierStandingSql } from '../notifiers/notifier-stats.service';

export type QueueSort = 'oldest' | 'newest' | 'due' | 'links' | 'notifier_rejected';
export const QUEUE_SORTS: readonly QueueSort[] = ['oldest', 'newest', 'due', 'links', 'notifier_rejected'];

/** Cases by their notifier's standing: warned, suspended, or either (`flagged`). */
export type NotifierStandingFilter = 'warned' | 'suspended' | 'flagged';
export const NOTIFIER_STANDING_FILTERS: readonly NotifierStandingFilter[] = ['warned', 'suspended', 'flagged'];
export const QUEUE_MAX_PER_PAGE = 100;

/** The queue's filters; every one is optional and they combine with AND. */
export interface QueueFilter {
  status?: CaseStatus[];
  channel?: string;
  /** An element the notice lacks (overrides counted), or 'any' for every deficient notice. */
  missing?: ElementName | 'any';
  provider?: string;
  /** A host: the case has a link on it or on one of its subdomains. */
  domain?: string;
  /** A staff id, 'none' for unassigned. */
  assignee?: string;
  overdue?: boolean;
  /**
   * Cases with a counter-notice: `any`; `open` (not yet restored, stopped, withdrawn or invalid); `overdue` (forwarded
   * and past the last day of its restore window).
   */
  counterNotice?: CounterNoticeFilter;
  /** A notifier key (`agency:<id>` or `email:<hash>`, as the notifiers view names them): that notifier's cases. */
  notifier?: string;
  notifierStanding?: NotifierStandingFilter;
  /** A case reference, an email address of a party or sender, or a URL (or part of one). */
  q?: string;
  sort?: QueueSort;
  page?: number;
  perPage?: number;
}

export type CounterNoticeFilter = 'any' | 'open' | 'overdue';
export const COUNTER_NOTICE_FILTERS: readonly CounterNoticeFilter[] = ['any', 'open', 'overdue'];

export interface QueueItem {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: string;
  channel: string | null;
  createdAt: Date;
  ackDueAt: Date | null;
  actionDueAt: Date | null;
  overdue: 'acknowledge' | 'action' | null;
  assignee: { id: string; name: string } | null;
  linkCount: number;
  missing: ElementName[];
  providers: string[];
  complainant: string | null;
  /** The case's open counter-notice: its status and restore day, if it has one. */
  counterNotice: { status: string; restoreDueAt: Date | null; overdue: boolean } | null;
  /** A trusted flagger's notice (DSA Art. 22): first in the queue, with its shorter service level. */
  trustedFlagger: boolean;
  /** The notifier's key and, where staff acted on it, its standing now (DSA Art. 23). */
  notifier: { key: string; standing: string | null } | null;
}

const COUNTER_NOTICE_SQL: Record<CounterNoticeFilter, string> = {
  any: `EXISTS (SELECT 1 FROM counter_notices n WHERE n.case_id = c.id)`,
  open: `EXISTS (SELECT 1 FROM counter_notices n WHERE n.case_id = c.id
                 AND n.status IN ('needs_info', 'in_review', 'forwarded'))`,
  overdue: `EXISTS (SELECT 1 FROM counter_notices n WHERE n.case_id = c.id
                    AND n.status = 'forwarded' AND n.restore_not_after < now())`,
};

export interface QueuePage {
  items: QueueItem[];
  total: number;
  page: number;
  perPage: number;
}

interface Row {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: string;
  channel: string | null;
  created_at: Date;
  ack_due_at: Date | null;
  action_due_at: Date | null;
  acknowledged_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  link_count: number;
  queue_tier: number;
  checklist: Parameters<typeof effectiveChecklist>[0];
  element_overrides: ElementOverrides;
  providers: string[];
  complainant: string | null;
  counter_notice: { status: string; restoreDueAt: string | null; overdue: boolean } | null;
  notifier_key: string | null;
  notifier_standing: string | null;
}

const ORDER: Record<QueueSort, string> = {
  // A trusted flagger's cases first (queue_tier 0, DSA Art. 22(1)), then the order asked for.
  oldest: 'c.queue_tier ASC, c.created_at ASC, c.id',
  newest: 'c.created_at DESC, c.id',
  due: 'c.queue_tier ASC, c.action_due_at ASC NULLS LAST, c.created_at ASC, c.id',
  links: 'c.link_count DESC, c.created_at ASC, c.id',
  // The notifiers with the worst record first: their share of rejected notices, over all their cases.
  notifier_rejected: 'sort_key DESC NULLS LAST, c.created_at ASC, c.id',
};

/** What `sort_key` is for a sort that needs one (computed in the page query, kept for the final order). */
const SORT_KEY: Partial<Record<QueueSort, string>> = {
  notifier_rejected: `(SELECT r.rejected_share FROM records r WHERE r.notifier = ${notifierKeySql('c')})`,
};

const STANDING_SQL: Record<NotifierStandingFilter, string> = {
  warned: `${notifierStandingSql('c')} = 'warned'`,
  suspended: `${notifierStandingSql('c')} = 'suspended'`,
  flagged: `${notifierStandingSql('c')} IN ('warned', 'suspended')`,
};

/** A case reference written out whole, as the cases table makes them (DMCA-2026-000042). */
const WHOLE_REFERENCE = /^DMCA-\d{4}-\d{6,}$/i;
/** An email address written out whole: found by its keyed hash alone (no URL or reference contains one). */
const WHOLE_ADDRESS = /^[^\s@/?#]+@[^\s@/?#]+\.[^\s@/?#]+$/;

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Missing once overrides count: the checker found it missing and nobody accepted it, or staff marked it missing. */
const MISSING_SQL = (p: string): string =>
  `COALESCE((c.element_overrides->${p}->>'present')::boolean, NOT (c.checklist->'missing') @> to_jsonb(${p}::text)) = false`;
const DEFICIENT_SQL = `(EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.checklist->'missing') AS e(name)
                               WHERE COALESCE((c.element_overrides->e.name->>'present')::boolean, false) = false)
                      OR EXISTS (SELECT 1 FROM jsonb_each(c.element_overrides) AS o(name, v)
                                 WHERE (o.v->>'present')::boolean = false))`;

/** The staff queue: the cases that need someone, filtered, searched, sorted and paged in one query. */
@Injectable()
export class CaseQueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: PersonalData,
  ) {}

  async list(filter: QueueFilter, now = new Date()): Promise<QueuePage> {
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (filter.status?.length) where.push(`c.status = ANY(${param(filter.status)}::case_status[])`);
    if (filter.channel) {
      where.push(`EXISTS (SELECT 1 FROM notices n WHERE n.case_id = c.id AND n.channel = ${param(filter.channel)})`);
    }
    if (filter.missing === 'any') where.push(DEFICIENT_SQL);
    else if (filter.missing) where.push(MISSING_SQL(param(filter.missing)));
    if (filter.provider) {
      where.push(`c.id IN (SELECT case_id FROM reported_links WHERE provider = ${param(filter.provider)})`);
    }
    if (filter.domain) {
      const reversed = [...filter.domain.toLowerCase().replace(/^\.+|\.+$/g, '')].reverse().join('');
      // The host is stored reversed, so the domain and its subdomains are one index range ("com.example", then
      // "com.example." followed by anything).
      where.push(`c.id IN (SELECT case_id FROM reported_links
                           WHERE host_reversed = ${param(reversed)}
                              OR host_reversed LIKE ${param(`${escapeLike(reversed)}.%`)})`);
    }
    if (filter.assignee === 'none') where.push('c.assignee_id IS NULL');
    else if (filter.assignee) where.push(`c.assignee_id = ${param(filter.assignee)}::uuid`);
    if (filter.overdue === true) where.push(OVERDUE_SQL);
    if (filter.overdue === false) where.push(`NOT ${OVERDUE_SQL}`);
    if (filter.counterNotice) where.push(COUNTER_NOTICE_SQL[filter.counterNotice]);
    if (filter.notifier) where.push(notifierCasesSql('c', params.push(filter.notifier)));
    if (filter.notifierStanding) where.push(STANDING_SQL[filter.notifierStanding]);
    const q = filter.q?.trim();
    if (q && WHOLE_REFERENCE.test(q)) {
      // A whole reference is one row of the unique index; every reference shares the DMCA-<year>- prefix, so the
      // trigram search would narrow little.
      where.push(`c.reference = ${param(q.toUpperCase())}`);
    } else if (q) {
      // Each branch is an index lookup: the keyed hash for addresses (they are sealed: PersonalData.hashEmail is the
      // only way to find one), and, unless the query is an address, trigrams for reference and URL fragments.
      const exact = param(this.vault.hashEmail(q));
      const byAddress = `SELECT case_id FROM parties WHERE email_hash = ${exact}
                         UNION SELECT case_id FROM notices WHERE sender_email_hash = ${exact}
                         UNION SELECT case_id FROM counter_notices WHERE notifier_email_hash = ${exact}`;
      if (WHOLE_ADDRESS.test(q)) {
        where.push(`c.id IN (${byAddress})`);
      } else {
        const like = param(`%${escapeLike(q)}%`);
        where.push(`c.id IN (SELECT id FROM cases WHERE reference ILIKE ${like}
                             UNION ${byAddress}
                             UNION SELECT case_id FROM reported_links WHERE url ILIKE ${like})`);
      }
    }
    const perPage = Math.min(Math.max(filter.perPage ?? 25, 1), QUEUE_MAX_PER_PAGE);
    const page = Math.max(filter.page ?? 1, 1);
    // The page's ids first, from cases alone (an index walk for the usual sorts); then what each row shows, for
    // those rows only. The total is counted apart, so the page need not gather every match.
    const sort = filter.sort ?? 'oldest';
    const order = ORDER[sort];
    const sortKey = SORT_KEY[sort];
    const conditions = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterParams = [...params];
    const [rows, [count]] = await Promise.all([
      this.dataSource.query<Row[]>(
        `WITH ${sortKey ? `records AS (${NOTIFIER_RECORDS_SQL}),` : ''} page AS (
           SELECT c.id${sortKey ? `, ${sortKey} AS sort_key` : ''} FROM cases c ${conditions}
           ORDER BY ${order} LIMIT ${param(perPage)} OFFSET ${param((page - 1) * perPage)})
         SELECT c.id, c.reference, c.status, c.kind, c.created_at, c.ack_due_at, c.action_due_at, c.acknowledged_at,
                c.checklist, c.element_overrides, c.assignee_id, u.name AS assignee_name, c.link_count,
                c.queue_tier, ${notifierKeySql('c')} AS notifier_key, ${notifierStandingSql('c')} AS notifier_standing,
                (SELECT n.channel FROM notices n WHERE n.case_id = c.id ORDER BY n.received_at LIMIT 1) AS channel,
                array(SELECT DISTINCT l.provider FROM reported_links l
                      WHERE l.case_id = c.id AND l.provider IS NOT NULL ORDER BY 1) AS providers,
                (SELECT p.email FROM parties p WHERE p.case_id = c.id AND p.role = 'complainant' LIMIT 1) AS complainant,
                (SELECT json_build_object('status', n.status, 'restoreDueAt', n.restore_due_at,
                                          'overdue', n.status = 'forwarded' AND n.restore_not_after < now())
                 FROM counter_notices n WHERE n.case_id = c.id
                 ORDER BY n.status IN ('needs_info', 'in_review', 'forwarded') DESC, n.received_at DESC
                 LIMIT 1) AS counter_notice
         FROM page JOIN cases c ON c.id = page.id LEFT JOIN staff_users u ON u.id = c.assignee_id
         ORDER BY ${sortKey ? order.replace('sort_key', 'page.sort_key') : order}`,
        params,
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM cases c ${conditions}`,
        filterParams,
      ),
    ]);
    // The complainant's address is sealed: opened in one batch for the page (ERASED or WITHHELD as the case may be).
    await this.vault.openRows(this.dataSource.manager, rows, ['complainant']);
    return {
      items: rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        status: r.status,
        kind: r.kind,
        channel: r.channel,
        createdAt: r.created_at,
        ackDueAt: r.ack_due_at,
        actionDueAt: r.action_due_at,
        overdue: overdue(
          { status: r.status, ackDueAt: r.ack_due_at, actionDueAt: r.action_due_at, acknowledgedAt: r.acknowledged_at },
          now,
        ),
        assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
        linkCount: r.link_count,
        missing: effectiveChecklist(r.checklist, r.element_overrides).missing,
        providers: r.providers,
        complainant: r.complainant,
        trustedFlagger: r.queue_tier === 0,
        notifier: r.notifier_key ? { key: r.notifier_key, standing: r.notifier_standing } : null,
        counterNotice: r.counter_notice
          ? {
              ...r.counter_notice,
              restoreDueAt: r.counter_notice.restoreDueAt ? new Date(r.counter_notice.restoreDueAt) : null,
            }
          : null,
      })),
      total: count.total,
      page,
      perPage,
    };
  }
}
