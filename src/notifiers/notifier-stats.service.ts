import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { notifierCasesSql, notifierKeySql } from './notifier-key';
import { NotifierStandingStatus } from './notifier-standing.entity';

/** A notifier's record, counted over the cases it sent: a read model over cases, audit events and counter-notices. */
export interface NotifierStats {
  key: string;
  /** The agency's name for an agency key; null for an address (only its keyed hash is known here). */
  agency: string | null;
  sent: number;
  rejected: number;
  retracted: number;
  counterNoticed: number;
  restored: number;
  /** rejected / sent, 0 with nothing sent. */
  rejectedShare: number;
  lastNoticeAt: Date | null;
  standing: NotifierStandingStatus;
  suspendedUntil: Date | null;
  warnings: number;
}

export type NotifierSort = 'rejected_share' | 'sent' | 'last_notice';
export const NOTIFIER_SORTS: readonly NotifierSort[] = ['rejected_share', 'sent', 'last_notice'];

interface StatsRow {
  notifier: string;
  agency: string | null;
  sent: number;
  rejected: number;
  retracted: number;
  counter_noticed: number;
  restored: number;
  last_notice_at: Date | null;
  status: NotifierStandingStatus | null;
  suspended_until: Date | null;
  warnings: number | null;
}

const ORDER: Record<NotifierSort, string> = {
  rejected_share: 'rejected::float / GREATEST(sent, 1) DESC, rejected DESC, sent DESC, notifier',
  sent: 'sent DESC, notifier',
  last_notice: 'last_notice_at DESC NULLS LAST, notifier',
};

/** `cases` rows as `k (id, created_at, notifier)`, narrowed by `where`. */
const countsSql = (where: string) => `
  WITH k AS (SELECT c.id, c.created_at, ${notifierKeySql('c')} AS notifier FROM cases c WHERE ${where}),
  counted AS (
    SELECT k.notifier,
      count(*)::int AS sent,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_events a
        WHERE a.case_id = k.id AND a.action IN ('case.rejected', 'links.rejected')))::int AS rejected,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_events a
        WHERE a.case_id = k.id AND a.action = 'notice.retracted'))::int AS retracted,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM counter_notices cn WHERE cn.case_id = k.id))::int AS counter_noticed,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM audit_events a
        WHERE a.case_id = k.id AND a.action = 'counter_notice.restored'))::int AS restored,
      max(k.created_at) AS last_notice_at
    FROM k WHERE k.notifier IS NOT NULL GROUP BY k.notifier)
  SELECT counted.*, ag.name AS agency, s.suspended_until, s.warnings,
    -- A suspension past its end has lapsed: the notifier is back to where the warnings left it.
    CASE WHEN s.status = 'suspended' AND s.suspended_until <= now()
      THEN CASE WHEN s.warnings > 0 THEN 'warned' ELSE 'good' END
      ELSE s.status::text END AS status
  FROM counted
  LEFT JOIN agencies ag ON counted.notifier LIKE 'agency:%' AND ag.id::text = substr(counted.notifier, 8)
  LEFT JOIN notifier_standings s ON s.notifier_key = counted.notifier`;

/**
 * Every notifier's key, standing as in force now (a lapsed suspension read as the warnings leave it) and share of
 * rejected notices, as rows `(notifier, standing, rejected_share)`: for the staff queue's filter and sort by record.
 */
export const NOTIFIER_RECORDS_SQL = `SELECT notifier, status AS standing,
  rejected::float / GREATEST(sent, 1) AS rejected_share FROM (${countsSql('true')}) r`;

/** The standing of the notifier of `cases ${c}` as in force now, or null for a notifier staff never acted on. */
export function notifierStandingSql(c: string): string {
  return `(SELECT CASE WHEN s.status = 'suspended' AND s.suspended_until <= now()
                  THEN CASE WHEN s.warnings > 0 THEN 'warned' ELSE 'good' END ELSE s.status::text END
           FROM notifier_standings s WHERE s.notifier_key = ${notifierKeySql(c)})`;
}

/**
 * Per notifier: notices sent (cases), rejected (case.rejected or links.rejected), retracted (notice.retracted),
 * counter-noticed, and restored after a counter-notice (counter_notice.restored). Derived every time from the case
 * records, so it cannot drift from them; the standings staff set are joined in.
 */
@Injectable()
export class NotifierStatsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(sort: NotifierSort = 'rejected_share', limit = 500): Promise<NotifierStats[]> {
    const rows = await this.dataSource.query<StatsRow[]>(`${countsSql('true')} ORDER BY ${ORDER[sort]} LIMIT $1`, [
      limit,
    ]);
    return rows.map(toStats);
  }

  /** One notifier's record; `exceptCaseId` leaves a case out (its own case, when judging the notifier's past). */
  async forKey(
    key: string,
    m: EntityManager = this.dataSource.manager,
    exceptCaseId?: string,
  ): Promise<NotifierStats | null> {
    const [row] = await m.query<StatsRow[]>(
      countsSql(`${notifierCasesSql('c', 1)} AND c.id IS DISTINCT FROM $2::uuid`),
      [key, exceptCaseId ?? null],
    );
    return row ? toStats(row) : null;
  }

  /** The notifier of a case and its record; null when the case has no notifier key. */
  async forCase(caseId: string, m: EntityManager = this.dataSource.manager): Promise<NotifierStats | null> {
    const key = await this.keyOf(caseId, m);
    return key ? this.forKey(key, m) : null;
  }

  async keyOf(caseId: string, m: EntityManager = this.dataSource.manager): Promise<string | null> {
    const [row] = await m.query<{ key: string | null }[]>(
      `SELECT ${notifierKeySql('c')} AS key FROM cases c WHERE c.id = $1`,
      [caseId],
    );
    return row?.key ?? null;
  }
}

function toStats(r: StatsRow): NotifierStats {
  return {
    key: r.notifier,
    agency: r.agency,
    sent: r.sent,
    rejected: r.rejected,
    retracted: r.retracted,
    counterNoticed: r.counter_noticed,
    restored: r.restored,
    rejectedShare: r.sent > 0 ? r.rejected / r.sent : 0,
    lastNoticeAt: r.last_notice_at,
    standing: r.status ?? NotifierStandingStatus.Good,
    suspendedUntil: r.suspended_until,
    warnings: r.warnings ?? 0,
  };
}
