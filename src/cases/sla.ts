import type { SlaConfig } from '../core/config';
import { CaseStatus } from './case.entity';

/** Statuses in which the case waits on us: only these can be overdue (needs_info waits on the sender). */
export const SLA_OPEN_STATUSES: readonly CaseStatus[] = [CaseStatus.Received, CaseStatus.InReview];

export interface SlaDeadlines {
  ackDueAt: Date;
  actionDueAt: Date;
}

type Calendar = Pick<SlaConfig, 'holidays' | 'timeZone'>;

/** A wall-clock time in the calendar's zone; month is 1-12. */
interface Local {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** Zones that are UTC all year: read with Date's own UTC fields, not Intl (six formatToParts a case otherwise). */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'GMT', 'Etc/GMT', 'Etc/Universal', 'Universal', 'Zulu']);

function localOf(t: Date, timeZone: string): Local {
  if (UTC_ZONES.has(timeZone)) {
    return {
      year: t.getUTCFullYear(),
      month: t.getUTCMonth() + 1,
      day: t.getUTCDate(),
      hour: t.getUTCHours(),
      minute: t.getUTCMinutes(),
      second: t.getUTCSeconds(),
      ms: t.getUTCMilliseconds(),
    };
  }
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, Number(p.value)]));
  return {
    year: part.year,
    month: part.month,
    day: part.day,
    hour: part.hour,
    minute: part.minute,
    second: part.second,
    ms: t.getUTCMilliseconds(),
  };
}

const asUtc = (l: Local): number => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.ms);

/** The instant a wall-clock time names in the zone (the later one when a DST change repeats it). */
function instantOf(l: Local, timeZone: string): Date {
  let t = asUtc(l);
  // Two rounds settle the zone's offset at that time, across a DST change too.
  for (let i = 0; i < 2; i++) t = asUtc(l) - (asUtc(localOf(new Date(t), timeZone)) - t);
  return new Date(t);
}

/** The calendar day after `l`, at the same wall-clock time. */
function nextDay(l: Local): Local {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day + 1));
  return { ...l, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isBusinessDay(l: Local, calendar: Calendar): boolean {
  const weekday = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  const date = `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.includes(date);
}

/**
 * `from` plus `days` business days of the calendar's zone, at the same wall-clock time: Friday 15:00 plus one is
 * Monday 15:00 there. A clock that starts on a day off starts at midnight of the next business day.
 */
export function addBusinessDays(from: Date, days: number, calendar: Calendar): Date {
  let l = localOf(from, calendar.timeZone);
  if (!isBusinessDay(l, calendar)) {
    l = { ...l, hour: 0, minute: 0, second: 0, ms: 0 };
    do l = nextDay(l);
    while (!isBusinessDay(l, calendar));
  }
  for (let left = days; left > 0;) {
    l = nextDay(l);
    if (isBusinessDay(l, calendar)) left--;
  }
  return instantOf(l, calendar.timeZone);
}

/** The last instant of the calendar day `t` falls on, in the calendar's zone (23:59:59.999 there). */
export function endOfDay(t: Date, calendar: Pick<SlaConfig, 'timeZone'>): Date {
  const l = localOf(t, calendar.timeZone);
  const next = instantOf({ ...nextDay(l), hour: 0, minute: 0, second: 0, ms: 0 }, calendar.timeZone);
  return new Date(next.getTime() - 1);
}

/** The deadlines of a case whose clock starts at `start` (receipt, the sender's answer, or a reopening). */
export function slaDeadlines(start: Date, config: SlaConfig, { trusted = false } = {}): SlaDeadlines {
  const action = trusted ? config.trustedActionBusinessDays : config.actionBusinessDays;
  return {
    ackDueAt: addBusinessDays(start, Math.min(config.ackBusinessDays, action), config),
    actionDueAt: addBusinessDays(start, action, config),
  };
}

export interface SlaState {
  status: CaseStatus;
  ackDueAt: Date | null;
  actionDueAt: Date | null;
  acknowledgedAt: Date | null;
}

/** Which deadline a case has missed, if any: not acknowledged in time, or not decided in time. */
export function overdue(c: SlaState, now: Date): 'acknowledge' | 'action' | null {
  if (!SLA_OPEN_STATUSES.includes(c.status)) return null;
  if (c.actionDueAt && now > c.actionDueAt) return 'action';
  if (!c.acknowledgedAt && c.ackDueAt && now > c.ackDueAt) return 'acknowledge';
  return null;
}

/** The same test as `overdue`, in SQL over the cases table aliased `c`, for the queue's filter. */
export const OVERDUE_SQL = `(c.status IN ('received', 'in_review')
  AND (c.action_due_at < now() OR (c.acknowledged_at IS NULL AND c.ack_due_at < now())))`;
