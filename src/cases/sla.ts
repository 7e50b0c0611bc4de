import type { SlaConfig } from '../core/config';
import { CaseStatus } from './case.entity';

const DAY_MS = 86_400_000;

/** Statuses in which the case waits on us: only these can be overdue (needs_info waits on the sender). */
export const SLA_OPEN_STATUSES: readonly CaseStatus[] = [CaseStatus.Received, CaseStatus.InReview];

export interface SlaDeadlines {
  ackDueAt: Date;
  actionDueAt: Date;
}

type Calendar = Pick<SlaConfig, 'holidays'>;

export function isBusinessDay(t: Date, calendar: Calendar): boolean {
  const weekday = t.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.includes(t.toISOString().slice(0, 10));
}

/**
 * `from` plus `days` business days, at the same time of day (UTC): Friday 15:00 plus one is Monday 15:00. A clock
 * that starts on a day off starts at midnight of the next business day.
 */
export function addBusinessDays(from: Date, days: number, calendar: Calendar): Date {
  let t = new Date(from);
  if (!isBusinessDay(t, calendar)) {
    t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
    do t = new Date(t.getTime() + DAY_MS);
    while (!isBusinessDay(t, calendar));
  }
  for (let left = days; left > 0;) {
    t = new Date(t.getTime() + DAY_MS);
    if (isBusinessDay(t, calendar)) left--;
  }
  return t;
}

/** The deadlines of a case whose clock starts at `start` (receipt, the sender's answer, or a reopening). */
export function slaDeadlines(start: Date, config: SlaConfig): SlaDeadlines {
  return {
    ackDueAt: addBusinessDays(start, config.ackBusinessDays, config),
    actionDueAt: addBusinessDays(start, config.actionBusinessDays, config),
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
