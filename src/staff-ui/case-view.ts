import { requiredElements } from '../cases/effective-checklist';
import { LinkStatus } from '../cases/reported-link.entity';
import { ELEMENT_LABELS, type ElementName, type StructuredNotice } from '../checklist';
import type { Provider } from '../links';
import type { CaseDetail } from '../triage/case-detail.service';
import type { ReasonTemplateView } from '../triage/reason-templates.service';
import { auditEntry } from './audit-view';
import { highlightEvidence } from './evidence-highlight';
import { pagination } from './queue-view';
import { httpUrl, relativeTime } from './view-format';

/**
 * The case page's view model: plain data shaped for the Handlebars template, so that the template only loops and
 * prints (Handlebars escapes every value it prints), and the shaping can be tested without a server.
 */

/**
 * Links per page of the case page's links table. Each ticked link is one form field, and the form parser takes at
 * most 100 fields a post (parameterLimit in http-app.ts).
 */
export const LINKS_PER_PAGE = 50;

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
    counterNotices: detail.counterNotices.map((n) => ({
      ...n,
      removedUrls: n.removedUrls,
      canForward: o.canDecide && n.status === 'in_review' && n.missing.length === 0,
      canStop: o.canDecide && (n.status === 'forwarded' || n.status === 'in_review'),
      canWithdraw: o.canDecide && ['needs_info', 'in_review', 'forwarded'].includes(n.status),
    })),
    letters: detail.letters,
    inbound: detail.inbound,
    legalHolds: detail.legalHolds.map((h) => ({
      ...h,
      setByName: h.setBy === 'sender' ? 'the complainant' : nameOf(h.setBy),
      releasedByName: nameOf(h.releasedBy),
      inForce: h.releasedAt === null,
      canRelease: o.canDecide && h.releasedAt === null,
    })),
    holdsInForce: [...new Set(detail.legalHolds.filter((h) => h.releasedAt === null).map((h) => h.kind))],
    personalDataErasedAt: detail.personalDataErasedAt,
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
