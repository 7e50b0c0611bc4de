import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { StaffPrincipal } from '../auth/staff-auth.service';
import { CaseStatus } from '../cases/case.entity';
import type { Provider } from '../links';
import { QUEUE_SORTS, type QueueFilter, type QueueItem, type QueuePage } from '../triage/case-queue.service';
import { ELEMENT_NAMES, QueueQueryDto } from '../triage/dto/triage.dto';
import { humanAge, relativeTime } from './view-format';

/** The queue page's view model: the filter form read from the query, the rows, and the pagination. */

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
    counterNotice: Option[];
    notifierStanding: Option[];
    notifier: string;
    sorts: Option[];
  };
}

const CHANNELS = ['api', 'form', 'email'];
const SORT_LABELS: Record<string, string> = {
  oldest: 'Oldest first',
  newest: 'Newest first',
  due: 'Deadline first',
  links: 'Most links first',
  notifier_rejected: "Notifier's rejected share first",
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
    'counterNotice',
    'notifier',
    'notifierStanding',
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
    counterNotice: dto.counterNotice,
    notifier: dto.notifier,
    notifierStanding: dto.notifierStanding,
    q: dto.q,
    sort: dto.sort,
    page: dto.page,
  };

  const query = new URLSearchParams();
  for (const s of dto.status ?? []) query.append('status', s);
  for (const key of [
    'channel',
    'missing',
    'provider',
    'domain',
    'assignee',
    'counterNotice',
    'notifier',
    'notifierStanding',
    'q',
    'sort',
  ] as const) {
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
      counterNotice: [
        option('', 'Any', dto.counterNotice),
        option('any', 'With a counter-notice', dto.counterNotice),
        option('open', 'Counter-notice open', dto.counterNotice),
        option('overdue', 'Restoration overdue', dto.counterNotice),
      ],
      notifierStanding: [
        option('', 'Any', dto.notifierStanding),
        option('flagged', 'Warned or suspended', dto.notifierStanding),
        option('warned', 'Warned', dto.notifierStanding),
        option('suspended', 'Suspended', dto.notifierStanding),
      ],
      notifier: dto.notifier ?? '',
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
