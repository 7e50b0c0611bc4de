import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { StaffRole } from '../auth/staff-user.entity';
import { ELEMENT_LABELS, type ElementName, type StructuredNotice } from '../checklist';
import type { AuditAction } from '../cases/audit-actions';
import type { Provider } from '../links';
import { CaseStatus } from '../cases/case.entity';
import type { CaseDetail } from '../triage/case-detail.service';
import { QUEUE_SORTS, type QueueFilter, type QueueItem, type QueuePage } from '../triage/case-queue.service';
import { ELEMENT_NAMES, QueueQueryDto } from '../triage/dto/triage.dto';
import { requiredElements } from '../cases/effective-checklist';
import { highlightEvidence } from './evidence-highlight';
import { LinkStatus } from '../cases/reported-link.entity';
import type { ReasonTemplateView } from '../triage/reason-templates.service';
import { DECIDERS } from '../auth/roles.decorator';

/**
 * View models of the staff pages: plain data shaped for the Handlebars templates, so that the templates only loop
 * and print (Handlebars escapes every value they print), and the shaping can be tested without a server.
 */

/** The roles that act on cases; viewers only read. */
export const canDecide = (staff: Pick<StaffPrincipal, 'role'>): boolean => DECIDERS.includes(staff.role);

/**
 * Links per page of the case page's links table. Each ticked link is one form field, and the form parser takes at
 * most 100 fields a post (parameterLimit in http-app.ts).
 */
export const LINKS_PER_PAGE = 50;
/** Items of a list shown in an audit event's detail before "… and N more". */
const AUDIT_LIST_MAX = 10;

/** The URL if it is http: or https: (as the URL parser reads it, so "JaVaScRiPt:" or "java\tscript:" do not pass). */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** How long ago, as staff say it: "just now", "12 min", "3 h", "2 d". */
export function humanAge(from: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(from).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** A time relative to now: "in 3 h", "2 d ago". */
export function relativeTime(at: Date, now: Date): string {
  const future = new Date(at).getTime() > now.getTime();
  const span = future ? humanAge(now, new Date(at)) : humanAge(new Date(at), now);
  if (span === 'just now') return span;
  return future ? `in ${span}` : `${span} ago`;
}

export interface StaffNav {
  staff: StaffPrincipal;
  canDecide: boolean;
  isAdmin: boolean;
  csrf: string;
  active: 'queue' | 'case' | 'admin' | 'error';
}

export function staffNav(staff: StaffPrincipal, csrf: string, active: StaffNav['active']): StaffNav {
  return { staff, canDecide: canDecide(staff), isAdmin: staff.role === StaffRole.Admin, csrf, active };
}

// ---------------------------------------------------------------------------------------------------------- queue

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

/** The queue's filter form as the page shows it back, and the filter it stands for. */
export interface QueueForm {
  filter: QueueFilter;
  /** Problems with the query string; the parts that were wrong are ignored. */
  errors: string[];
  /** The filters as a query string (without page), for pagination links and the bulk form's way back. */
  query: string;
  values: {
    q: string;
    domain: string;
    statuses: (Option & { checked: boolean })[];
    channels: Option[];
    missing: Option[];
    providers: Option[];
    assignees: Option[];
    overdue: Option[];
    sorts: Option[];
  };
}

const CHANNELS = ['api', 'form', 'email'];
const SORT_LABELS: Record<string, string> = {
  oldest: 'Oldest first',
  newest: 'Newest first',
  due: 'Deadline first',
  links: 'Most links first',
};

/**
 * Reads the queue's query string with the API's own rules (QueueQueryDto). Empty fields are "any"; a field that
 * breaks a rule is reported and left out, so the page still shows.
 */
const OPEN_QUEUE: Record<string, unknown> = {
  status: [CaseStatus.Received, CaseStatus.NeedsInfo, CaseStatus.InReview],
  sort: 'due',
};

export async function queueForm(
  raw: Record<string, unknown>,
  staff: StaffPrincipal,
  providers: readonly Pick<Provider, 'id' | 'name'>[],
  assignable: readonly { id: string; name: string }[],
): Promise<QueueForm> {
  // A bare visit opens the day's work: the cases waiting on us or the sender, the nearest deadline first. Sending the
  // form with no status ticked shows every case.
  if (Object.keys(raw).length === 0) raw = OPEN_QUEUE;
  const cleaned: Record<string, unknown> = {};
  for (const key of [
    'status',
    'channel',
    'missing',
    'provider',
    'domain',
    'assignee',
    'overdue',
    'q',
    'sort',
    'page',
  ]) {
    const value = raw[key];
    const list = (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    if (list.length === 0) continue;
    cleaned[key] = key === 'status' ? list : list[0].trim();
  }
  const errors: string[] = [];
  let dto = plainToInstance(QueueQueryDto, cleaned);
  const problems = await validate(dto, { whitelist: true, forbidUnknownValues: false });
  if (problems.length > 0) {
    for (const p of problems) {
      errors.push(...Object.values(p.constraints ?? {}));
      delete cleaned[p.property];
    }
    dto = plainToInstance(QueueQueryDto, cleaned);
  }
  const filter: QueueFilter = {
    status: dto.status,
    channel: dto.channel,
    missing: dto.missing,
    provider: dto.provider,
    domain: dto.domain,
    assignee: dto.assignee === 'me' ? staff.id : dto.assignee,
    overdue: dto.overdue,
    q: dto.q,
    sort: dto.sort,
    page: dto.page,
  };

  const query = new URLSearchParams();
  for (const s of dto.status ?? []) query.append('status', s);
  for (const key of ['channel', 'missing', 'provider', 'domain', 'assignee', 'q', 'sort'] as const) {
    if (dto[key]) query.set(key, dto[key]);
  }
  if (dto.overdue !== undefined) query.set('overdue', String(dto.overdue));

  const option = (value: string, label: string, current: string | undefined): Option => ({
    value,
    label,
    selected: value === (current ?? ''),
  });
  const overdue = dto.overdue === undefined ? '' : String(dto.overdue);
  return {
    filter,
    errors,
    query: query.toString(),
    values: {
      q: dto.q ?? '',
      domain: dto.domain ?? '',
      statuses: Object.values(CaseStatus).map((s) => ({
        value: s,
        label: s.replace('_', ' '),
        selected: false,
        checked: dto.status?.includes(s) ?? false,
      })),
      channels: [option('', 'Any channel', dto.channel), ...CHANNELS.map((c) => option(c, c, dto.channel))],
      missing: [
        option('', 'Any', dto.missing),
        option('any', 'Any element: deficient', dto.missing),
        ...ELEMENT_NAMES.map((e) => option(e, e.replace(/_/g, ' '), dto.missing)),
      ],
      providers: [
        option('', 'Any provider', dto.provider),
        ...providers.map((p) => option(p.id, p.name, dto.provider)),
      ],
      assignees: [
        option('', 'Anyone', dto.assignee),
        option('me', 'Me', dto.assignee),
        option('none', 'Unassigned', dto.assignee),
        ...assignable.filter((u) => u.id !== staff.id).map((u) => option(u.id, u.name, dto.assignee)),
      ],
      overdue: [
        option('', 'Any', overdue),
        option('true', 'Overdue', overdue),
        option('false', 'Not overdue', overdue),
      ],
      sorts: QUEUE_SORTS.map((s) => option(s, SORT_LABELS[s] ?? s, dto.sort ?? 'oldest')),
    },
  };
}

export interface QueueRow extends QueueItem {
  age: string;
  deadline: { at: Date; label: string; relative: string } | null;
  overdueLabel: string | null;
  providerList: string;
  missingList: string;
}

export function queueRows(page: QueuePage, now: Date): QueueRow[] {
  return page.items.map((item) => {
    const at = item.overdue === 'acknowledge' ? item.ackDueAt : (item.actionDueAt ?? item.ackDueAt);
    const label = item.overdue === 'acknowledge' || !item.actionDueAt ? 'Acknowledge' : 'Decide';
    return {
      ...item,
      age: humanAge(item.createdAt, now),
      deadline: at ? { at, label, relative: relativeTime(at, now) } : null,
      overdueLabel:
        item.overdue === 'acknowledge' ? 'not acknowledged' : item.overdue === 'action' ? 'no decision' : null,
      providerList: item.providers.join(', '),
      missingList: item.missing.join(', '),
    };
  });
}

export interface Pagination {
  total: number;
  from: number;
  to: number;
  prev: string | null;
  next: string | null;
  pages: { number: number; href: string; current: boolean }[];
}

/** Page links that keep the filters: the neighbours of the current page, and the first and last. */
export function pagination(
  page: Pick<QueuePage, 'page' | 'perPage' | 'total'>,
  query: string,
  base = '/staff',
  { param = 'page', fragment = '' }: { param?: string; fragment?: string } = {},
): Pagination {
  const last = Math.max(1, Math.ceil(page.total / page.perPage));
  const href = (n: number): string => {
    const params = new URLSearchParams(query);
    if (n > 1) params.set(param, String(n));
    else params.delete(param);
    const qs = params.toString();
    return `${base}${qs ? `?${qs}` : ''}${fragment}`;
  };
  const numbers = [...new Set([1, page.page - 2, page.page - 1, page.page, page.page + 1, page.page + 2, last])]
    .filter((n) => n >= 1 && n <= last)
    .sort((a, b) => a - b);
  return {
    total: page.total,
    from: page.total === 0 ? 0 : Math.min(page.total, (page.page - 1) * page.perPage + 1),
    to: Math.min(page.total, page.page * page.perPage),
    prev: page.page > 1 ? href(Math.min(page.page - 1, last)) : null,
    next: page.page < last ? href(page.page + 1) : null,
    pages: last > 1 ? numbers.map((n) => ({ number: n, href: href(n), current: n === page.page })) : [],
  };
}

// ----------------------------------------------------------------------------------------------------------- audit

export interface AuditEntryView {
  id: string;
  at: Date;
  actor: string;
  byStaff: boolean;
  action: string;
  label: string;
  fields: { label: string; value: string; long: boolean }[];
}

/** A label for every audit action: an action added to AuditDetails without one here does not compile. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'notice.received': 'Notice received',
  'notice.revised': 'Notice revised',
  'notice.counter_notice': 'Counter-notice received',
  'notice.names_other_case': 'Notice names another case',
  'consent.given': 'Privacy consent given',
  'case.transitioned': 'Status changed',
  'case.transition_refused': 'Status change refused',
  'case.routed': 'Routed',
  'case.held_for_review': 'Held for review',
  'case.assigned': 'Assigned',
  'case.rejected': 'Case rejected',
  'note.added': 'Note',
  'element.overridden': 'Checklist element overridden',
  'info.requested': 'Information requested',
  'link.sorting_overridden': 'Link re-sorted',
  'links.rejected': 'Links rejected',
  'links.restored': 'Links restored',
  'links.transition_refused': 'Link status change refused',
  'takedowns.approved': 'Takedowns approved',
  'takedowns.scheduled': 'Takedowns scheduled',
  'takedowns.done': 'Takedowns done',
  'takedowns.failed': 'Takedowns failed',
  'takedowns.restored': 'Links put back on the site',
  'referrals.recorded': 'Referrals recorded',
  'letter.recorded': 'Letter recorded',
  'letter.deficiency_recorded': 'Deficiency letter recorded',
  'letter.held': 'Letter held by the per-recipient cap',
  'letter.sent': 'Letter sent',
  'letter.failed': 'Letter failed',
};

/** Ids the audit keeps for the record that the page names instead (the assignee's name is beside them). */
const HIDDEN_DETAIL: Record<string, readonly string[]> = { 'case.assigned': ['from', 'to'] };

/** An audit event as people read it: who (a staff member's name, or system, worker, sender), what, and the detail. */
export function auditEntry(event: CaseDetail['audit'][number], names: ReadonlyMap<string, string>): AuditEntryView {
  const byStaff = event.actorName !== null || names.has(event.actor);
  const hidden = HIDDEN_DETAIL[event.action] ?? [];
  const fields = Object.entries(event.detail as Record<string, unknown>)
    .filter(([key]) => !hidden.includes(key))
    .map(([key, value]) => ({ label: humanKey(key), value: readable(value, names) }))
    .filter((f) => f.value !== '');
  if (event.action === 'case.assigned' && !fields.some((f) => f.label === 'to name')) {
    fields.unshift({ label: 'to', value: 'nobody (unassigned)' });
  }
  return {
    id: event.id,
    at: event.at,
    actor: event.actorName ?? names.get(event.actor) ?? event.actor,
    byStaff,
    action: event.action,
    label: ACTION_LABELS[event.action as AuditAction] ?? event.action,
    fields: fields.map((f) => ({ ...f, long: f.value.length > 120 || f.value.includes('\n') })),
  };
}

function humanKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** Any JSON value as one readable line (or a paragraph, for a note): lists cut short, staff ids named. */
function readable(value: unknown, names: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return names.get(value) ?? value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, AUDIT_LIST_MAX).map((v) => readable(v, names));
    const more = value.length - shown.length;
    return shown.join(', ') + (more > 0 ? ` … and ${more} more` : '');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [humanKey(k), readable(v, names)])
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
  }
  return JSON.stringify(value);
}

// ------------------------------------------------------------------------------------------------------- case page

export interface Field {
  label: string;
  value: string;
  href: string | null;
}

/** The structured fields of an API or form notice, in the order the form asks for them. */
export function structuredFields(s: StructuredNotice): Field[] {
  const c = s.complainant ?? {};
  const urls = (s.infringingUrls ?? []).filter((u) => typeof u === 'string');
  const fields: [string, unknown, string?][] = [
    ['Name', c.name],
    ['Company', c.company],
    ['Email', c.email],
    ['Phone', c.phone],
    ['Address', c.address],
    ['Acts as', c.role],
    ["Owner's name", c.ownerName],
    ['Work', s.work?.description],
    ['Work URL', s.work?.url, 'link'],
    [
      'Infringing URLs',
      urls.length ? `${urls.length} URL${urls.length === 1 ? '' : 's'} (listed under Links)` : undefined,
    ],
    ['Search terms', s.searchTerms?.join(', ')],
    ['Good faith statement', s.goodFaith],
    ['Perjury statement', s.perjury],
    ['Signature', s.signature],
  ];
  return fields
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value, kind]) => {
      const text = typeof value === 'boolean' ? (value ? 'affirmed' : 'not affirmed') : String(value);
      return { label, value: text, href: kind === 'link' ? httpUrl(text) : null };
    });
}

export interface CaseViewOptions {
  now: Date;
  canDecide: boolean;
  /** Staff ids to names, for overrides and audit events. */
  names: ReadonlyMap<string, string>;
  /** Who a case can be assigned to: enabled legal and admin staff. */
  assignable: readonly { id: string; name: string }[];
  reasonTemplates: readonly ReasonTemplateView[];
  providers: readonly Pick<Provider, 'id' | 'name'>[];
  linkPage: number;
}

const CLASSIFICATIONS = ['internal', 'external_disk', 'external_other', 'invalid'];
const ROLES = ['infringing', 'original', 'reference'];
/** Links whose sorting can no longer change: approved (reject first), or already acted on. */
const SETTLED_LINKS: readonly LinkStatus[] = [LinkStatus.Approved, LinkStatus.TakenDown, LinkStatus.Referred];

/** Everything the case page shows, shaped for its template. */
export function caseView(detail: CaseDetail, o: CaseViewOptions) {
  const nameOf = (id: string | undefined | null): string => (id ? (o.names.get(id) ?? id) : '');
  const elementTitle = (e: ElementName): string => ELEMENT_LABELS[e]?.title ?? e;
  const evidence = detail.checklist.elements.map((e) => ({ element: e.name, quotes: e.evidence }));
  const providerName = new Map(o.providers.map((p) => [p.id, p.name]));

  const lastLinkPage = Math.max(1, Math.ceil(detail.links.length / LINKS_PER_PAGE));
  const linkPage = Math.min(Math.max(1, o.linkPage), lastLinkPage);
  const shownLinks = detail.links.slice((linkPage - 1) * LINKS_PER_PAGE, linkPage * LINKS_PER_PAGE);
  const links = shownLinks.map((l) => ({
    ...l,
    href: httpUrl(l.url),
    rawDiffers: l.raw !== l.url,
    providerName: l.provider ? (providerName.get(l.provider) ?? l.provider) : null,
    canApprove: l.next.includes(LinkStatus.Approved),
    canReject: l.next.includes(LinkStatus.Rejected),
    selectable: [LinkStatus.Approved, LinkStatus.Rejected, LinkStatus.Restored].some((to) => l.next.includes(to)),
    canResort: !SETTLED_LINKS.includes(l.status),
    sorting: l.sortingOverride
      ? {
          from: `${l.sortingOverride.from.classification}${l.sortingOverride.from.provider ? ` (${l.sortingOverride.from.provider})` : ''}`,
          reason: l.sortingOverride.reason,
          by: nameOf(l.sortingOverride.by),
          at: l.sortingOverride.at,
        }
      : null,
    catalogNote: catalogNote(l),
    classifications: CLASSIFICATIONS.map((c) => ({ value: c, label: c, selected: c === l.classification })),
    roles: ROLES.map((r) => ({ value: r, label: r, selected: r === l.role })),
    takedowns: l.takedowns.map((t) => ({ ...t })),
  }));
  const linkPages = pagination(
    { page: linkPage, perPage: LINKS_PER_PAGE, total: detail.links.length },
    '',
    `/staff/cases/${encodeURIComponent(detail.reference)}`,
    { param: 'links', fragment: '#links' },
  );

  const required = requiredElements(detail.checklist.kind as Parameters<typeof requiredElements>[0]);
  const overdue = detail.sla.overdue;
  return {
    reference: detail.reference,
    status: detail.status,
    kind: detail.kind,
    createdAt: detail.createdAt,
    received: relativeTime(detail.createdAt, o.now),
    statusHref: `/status/${encodeURIComponent(detail.statusToken)}`,
    sla: {
      ...detail.sla,
      ackRelative: detail.sla.ackDueAt ? relativeTime(detail.sla.ackDueAt, o.now) : null,
      actionRelative: detail.sla.actionDueAt ? relativeTime(detail.sla.actionDueAt, o.now) : null,
      overdueLabel:
        overdue === 'acknowledge' ? 'not acknowledged in time' : overdue === 'action' ? 'not decided in time' : null,
    },
    assignee: detail.assignee,
    agency: detail.agency,
    parties: detail.parties,
    notices: detail.notices.map((n, i) => ({
      number: i + 1,
      id: n.id,
      channel: n.channel,
      receivedAt: n.receivedAt,
      senderEmail: n.senderEmail,
      flags: n.flags,
      auth: n.auth ? authSummary(n.auth) : null,
      segments: n.text
        ? highlightEvidence(n.text, evidence).map((s) => ({
            text: s.text,
            elements: s.elements,
            title: s.elements.map((e) => `${e}: ${elementTitle(e)}`).join(' + '),
          }))
        : [],
      hasText: Boolean(n.text),
      fields: n.structured ? structuredFields(n.structured) : [],
    })),
    legend: detail.checklist.elements.filter((e) => e.evidence.length > 0).map((e) => ({ name: e.name })),
    checklist: {
      kind: detail.checklist.kind,
      complete: detail.checklist.complete,
      missing: detail.checklist.missing,
      elements: detail.checklist.elements.map((e) => ({
        ...e,
        overridden: e.override !== null,
        override: e.override ? { ...e.override, byName: nameOf(e.override.by) } : null,
      })),
    },
    links,
    linkCount: detail.links.length,
    linkPages,
    anySelectable: links.some((l) => l.selectable),
    providers: o.providers,
    searchTerms: detail.searchTerms,
    searchMatches: detail.searchMatches.map((m) => ({ ...m, href: safePath(m.url) })),
    takedowns: detail.links.flatMap((l) => l.takedowns.map((t) => ({ ...t, url: l.url }))),
    referrals: detail.referrals.map((r) => {
      const channel = r.channel as { email?: string; webForm?: string };
      return {
        provider: providerName.get(r.provider) ?? r.provider,
        linkCount: r.linkCount,
        createdAt: r.createdAt,
        email: typeof channel.email === 'string' ? channel.email : null,
        webForm: typeof channel.webForm === 'string' ? channel.webForm : null,
        webFormHref: typeof channel.webForm === 'string' ? httpUrl(channel.webForm) : null,
      };
    }),
    letters: detail.letters,
    inbound: detail.inbound,
    audit: detail.audit.map((e) => auditEntry(e, o.names)),
    actions: o.canDecide
      ? {
          transitions: detail.allowedTransitions.map((s) => ({ value: s, label: s.replace('_', ' ') })),
          assignees: [
            ...o.assignable.map((u) => ({ value: u.id, label: u.name, selected: u.id === detail.assignee?.id })),
            { value: 'none', label: 'Nobody (unassign)', selected: detail.assignee === null },
          ],
          reasonTemplates: o.reasonTemplates.filter((t) => t.archivedAt === null),
          canApprove: detail.kind === 'takedown',
          requestElements: required.map((name) => ({
            name,
            title: elementTitle(name),
            checked: detail.checklist.missing.includes(name),
          })),
        }
      : null,
  };
}

export type CaseView = ReturnType<typeof caseView>;

/** What the site has at a link nothing has been done to yet: its catalog refs, "nothing found", or not looked up. */
function catalogNote(l: CaseDetail['links'][number]): string | null {
  if (l.takedowns.length > 0 || (l.classification !== 'internal' && l.classification !== 'external_disk')) return null;
  if (l.catalogMatch === null) return 'not looked up';
  return l.catalogMatch.length ? l.catalogMatch.join(', ') : 'nothing found';
}

function authSummary(auth: Record<string, unknown>): string {
  return ['spf', 'dkim', 'dmarc']
    .filter((k) => typeof auth[k] === 'string')
    .map((k) => `${k.toUpperCase()} ${String(auth[k])}`)
    .join(' · ');
}

/** A catalog page's URL as a same-site path when it is one, else an http(s) URL, else nothing to link. */
function safePath(url: string): string | null {
  return url.startsWith('/') && !url.startsWith('//') ? url : httpUrl(url);
}
