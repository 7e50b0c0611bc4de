import type { LegalHoldKind } from '../cases/legal-hold.entity';
import type { PrivacyConfig } from '../core/config';

/**
 * The retention schedule as plain functions: from the settings and a clock, the moments before which each kind of
 * data is due, and for each closed case what is due, or that a legal hold keeps it. No database: the repository
 * reads the rows, and RetentionService's dry run and real run both decide with these, so they agree.
 */

export type RetentionSettings = PrivacyConfig['retention'];

/** The statuses in which a case counts as closed; a case reopened from one is no longer closed. */
export const CLOSED_STATUSES = ['rejected', 'closed', 'withdrawn'] as const;

/** Data older than these moments is due. */
export interface RetentionCutoffs {
  /**
   * Raw mail and evidence files of cases closed before this, and of mail with no case received before it. Never
   * earlier than `partyData`: raw mail holds the parties' personal data, so it never outlives it. Every closed case
   * with anything due closed before this.
   */
  rawMail: Date;
  /** The parties' personal data of cases closed before this. */
  partyData: Date;
  /** Idempotency keys and the API answers stored with them, created before this. */
  apiAnswers: Date;
  /** Outbox rows dispatched before this; BullMQ jobs (completed or failed) finished before this. */
  dispatched: Date;
  /** Staff sessions that expired before this, and sign-in attempt counters last touched before it. */
  sessions: Date;
}

export function retentionCutoffs(now: Date, s: RetentionSettings): RetentionCutoffs {
  const partyData = yearsBefore(now, s.partyDataYears);
  const rawMail = daysBefore(now, s.rawMailDays);
  return {
    rawMail: rawMail > partyData ? rawMail : partyData,
    partyData,
    apiAnswers: daysBefore(now, s.apiAnswerDays),
    dispatched: daysBefore(now, s.dispatchedDays),
    sessions: daysBefore(now, s.sessionDays),
  };
}

/** A closed case as retention reads it. */
export interface ClosedCase {
  id: string;
  reference: string;
  /** The latest case.transitioned event into its current (closed) status. */
  closedAt: Date;
  /** Its inbound messages whose raw message is still stored. */
  rawMail: number;
  evidenceFiles: number;
  personalDataErased: boolean;
  /** The kinds of its legal holds in force. */
  holds: LegalHoldKind[];
}

/** What is due in one case. */
export interface CaseDue {
  id: string;
  reference: string;
  rawMail: number;
  evidenceFiles: number;
  /** Its parties' personal data is to be erased (ErasureService.eraseCaseData). */
  partyData: boolean;
}

export interface HeldCase {
  reference: string;
  kind: LegalHoldKind;
}

export interface CasePlan {
  due: CaseDue[];
  /** Cases with something due that a hold in force keeps, once per kind of hold. */
  held: HeldCase[];
}

/** For each closed case, what is due; a case on legal hold keeps everything and is listed as held instead. */
export function planCases(cases: readonly ClosedCase[], cutoffs: RetentionCutoffs): CasePlan {
  const plan: CasePlan = { due: [], held: [] };
  for (const c of cases) {
    const mailDue = c.closedAt < cutoffs.rawMail;
    const due: CaseDue = {
      id: c.id,
      reference: c.reference,
      rawMail: mailDue ? c.rawMail : 0,
      evidenceFiles: mailDue ? c.evidenceFiles : 0,
      partyData: !c.personalDataErased && c.closedAt < cutoffs.partyData,
    };
    if (due.rawMail === 0 && due.evidenceFiles === 0 && !due.partyData) continue;
    if (c.holds.length > 0) {
      for (const kind of [...new Set(c.holds)].sort()) plan.held.push({ reference: c.reference, kind });
    } else plan.due.push(due);
  }
  return plan;
}

/** What a run removes (or a dry run would), by category: counts, never values. */
export interface RetentionCounts {
  /** Inbound messages whose raw message is emptied: of closed cases, and mail without a case. */
  rawMail: number;
  evidenceFiles: number;
  /** Closed cases whose parties' personal data is erased. */
  partyData: number;
  idempotencyKeys: number;
  outbox: number;
  /** Completed and failed BullMQ jobs, every queue; null when Redis could not be reached (nothing was removed). */
  finishedJobs: number | null;
  sessions: number;
  loginAttempts: number;
}

/** What a run's row keeps: its counts, and how many cases it could not finish (their work rolled back). */
export type RetentionRunCounts = RetentionCounts & { failedCases: number };

/** The deployment-wide categories: rows of one table each, with no case (and so no hold) behind them. */
export const TABLE_CATEGORIES = ['idempotencyKeys', 'outbox', 'sessions', 'loginAttempts'] as const;
export type TableCategory = (typeof TABLE_CATEGORIES)[number];

/** The cutoff each deployment-wide table is measured against. */
export const TABLE_CUTOFF: Record<TableCategory, keyof RetentionCutoffs> = {
  idempotencyKeys: 'apiAnswers',
  outbox: 'dispatched',
  sessions: 'sessions',
  loginAttempts: 'sessions',
};

/** A run that removed nothing. */
export const NO_COUNTS: RetentionCounts = {
  rawMail: 0,
  evidenceFiles: 0,
  partyData: 0,
  idempotencyKeys: 0,
  outbox: 0,
  finishedJobs: 0,
  sessions: 0,
  loginAttempts: 0,
};

/** The deployment-wide counts plus what the cases contribute. */
export function totalCounts(
  cases: readonly Pick<CaseDue, 'rawMail' | 'evidenceFiles' | 'partyData'>[],
  unowned: { rawMail: number; evidenceFiles: number },
  tables: Record<TableCategory, number>,
  finishedJobs: number | null,
): RetentionCounts {
  return {
    rawMail: unowned.rawMail + cases.reduce((n, c) => n + c.rawMail, 0),
    evidenceFiles: unowned.evidenceFiles + cases.reduce((n, c) => n + c.evidenceFiles, 0),
    partyData: cases.filter((c) => c.partyData).length,
    ...tables,
    finishedJobs,
  };
}

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** Calendar years (a limitation period runs to the same day), in UTC; 29 February falls back to 1 March. */
function yearsBefore(now: Date, years: number): Date {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}
