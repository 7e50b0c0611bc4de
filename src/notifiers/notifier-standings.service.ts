import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { complainantAddress } from '../cases/complainant-address';
import { DomainError } from '../core/errors';
import type { Locale } from '../core/i18n/locales';
import { PersonalData } from '../core/privacy/personal-data.service';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import type { NotifierEventAction } from './notifier-event.entity';
import { notifierCasesSql, notifierKeySql } from './notifier-key';
import { NotifierStandingStatus } from './notifier-standing.entity';

export class NotifierNotFoundError extends DomainError {
  readonly kind = 'not_found';
}

export class NotifierConflictError extends DomainError {
  readonly kind = 'conflict';
}

export interface NotifierEventView {
  at: Date;
  actor: string;
  action: NotifierEventAction;
  detail: Record<string, unknown>;
  reason: string | null;
}

export interface NotifierStandingView {
  key: string;
  status: NotifierStandingStatus;
  warnings: number;
  warnedAt: Date | null;
  suspendedAt: Date | null;
  suspendedUntil: Date | null;
  suspendedBy: string | null;
  events: NotifierEventView[];
}

/** A notifier's suspension in force, as routing reads it. */
export interface ActiveSuspension {
  key: string;
  standingId: string;
  until: Date;
}

interface StandingRow {
  id: string;
  notifier_key: string;
  status: NotifierStandingStatus;
  warnings: number;
  warned_at: Date | null;
  suspended_at: Date | null;
  suspended_until: Date | null;
  suspended_by: string | null;
}

const STANDING = `SELECT id, notifier_key, status, warnings, warned_at, suspended_at, suspended_until, suspended_by
  FROM notifier_standings`;

/**
 * Staff's decisions about a notifier who sends manifestly unfounded notices (DSA Art. 23): a warning, a suspension
 * for some days, and lifting it. Only a person does these; each is an append-only notifier_events row with the actor
 * and the reason, and the notifier is written a letter, in one transaction under the standing's lock. While a
 * suspension is in force, routing keeps the notifier's new notices but holds them for review (CaseRouterService).
 */
@Injectable()
export class NotifierStandingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
  ) {}

  async detail(key: string, m: EntityManager = this.dataSource.manager): Promise<NotifierStandingView> {
    const [row] = await m.query<StandingRow[]>(`${STANDING} WHERE notifier_key = $1`, [key]);
    if (!row) {
      await this.latestCase(m, key);
      return {
        key,
        status: NotifierStandingStatus.Good,
        warnings: 0,
        warnedAt: null,
        suspendedAt: null,
        suspendedUntil: null,
        suspendedBy: null,
        events: [],
      };
    }
    const events = await m.query<
      { at: Date; actor: string; action: NotifierEventAction; detail: Record<string, unknown>; reason_text: string }[]
    >(`SELECT at, actor, action, detail, reason_text FROM notifier_events WHERE standing_id = $1 ORDER BY id`, [
      row.id,
    ]);
    return {
      key,
      status: effectiveStatus(row),
      warnings: row.warnings,
      warnedAt: row.warned_at,
      suspendedAt: row.suspended_at,
      suspendedUntil: row.suspended_until,
      suspendedBy: row.suspended_by,
      events: events.map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action,
        detail: e.detail,
        reason: e.reason_text,
      })),
    };
  }

  /** Staff warn the notifier; their notices are processed as before. */
  async warn(key: string, actor: string, reason: string): Promise<NotifierStandingView> {
    await this.dataSource.transaction(async (m) => {
      const kase = await this.latestCase(m, key);
      const row = await this.locked(m, key);
      if (effectiveStatus(row) === NotifierStandingStatus.Suspended) {
        throw new NotifierConflictError(`Notifier ${key} is suspended until ${row.suspended_until?.toISOString()}.`);
      }
      await m.query(
        `UPDATE notifier_standings SET status = 'warned', warnings = warnings + 1, warned_at = now(),
           suspended_at = NULL, suspended_until = NULL, suspended_by = NULL, updated_at = now() WHERE id = $1`,
        [row.id],
      );
      const event = await this.event(m, row.id, actor, 'warned', { warnings: row.warnings + 1 }, reason);
      await this.tell(m, kase, LetterKind.NotifierWarning, `notifier-warning:${event}`, { reason });
    });
    return this.detail(key);
  }

  /** Staff suspend the notifier for `days`: their notices from now on are kept, held, and not routed. */
  async suspend(key: string, actor: string, reason: string, days: number): Promise<NotifierStandingView> {
    await this.dataSource.transaction(async (m) => {
      const kase = await this.latestCase(m, key);
      const row = await this.locked(m, key);
      // An UPDATE … RETURNING answers [rows, affected count] through TypeORM's query().
      const [[{ until }]] = await m.query<[{ until: Date }[], number]>(
        `UPDATE notifier_standings SET status = 'suspended', suspended_at = now(),
           suspended_until = now() + make_interval(days => $2::int), suspended_by = $3, updated_at = now()
         WHERE id = $1 RETURNING suspended_until AS until`,
        [row.id, days, actor],
      );
      const event = await this.event(
        m,
        row.id,
        actor,
        'suspended',
        { days, until: until.toISOString(), warnings: row.warnings },
        reason,
      );
      await this.tell(m, kase, LetterKind.NotifierSuspended, `notifier-suspension:${event}`, { reason, until });
    });
    return this.detail(key);
  }

  /** Staff lift a suspension before its end. Notices held meanwhile stay with staff, in review. */
  async lift(key: string, actor: string, reason: string): Promise<NotifierStandingView> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.locked(m, key);
      if (effectiveStatus(row) !== NotifierStandingStatus.Suspended) {
        throw new NotifierConflictError(`Notifier ${key} is not suspended.`);
      }
      const kase = await this.latestCase(m, key);
      const event = await this.endSuspension(m, row, actor, 'lifted', reason);
      await this.tell(m, kase, LetterKind.NotifierLifted, `notifier-lifted:${event}`, { reason });
    });
    return this.detail(key);
  }

  /**
   * The latest warning or suspension of a case's notifier, which the notifier may contest from that case's status
   * page (DSA Art. 20): when it was decided and by whom. Null when there is none.
   */
  async decisionFor(
    m: EntityManager,
    caseId: string,
    action: 'warned' | 'suspended',
  ): Promise<{ key: string; at: Date; actor: string } | null> {
    const [row] = await m.query<{ key: string; at: Date; actor: string }[]>(
      `SELECT s.notifier_key AS key, e.at, e.actor FROM notifier_events e
       JOIN notifier_standings s ON s.id = e.standing_id
       WHERE s.notifier_key = (SELECT ${notifierKeySql('c')} FROM cases c WHERE c.id = $1) AND e.action = $2
       ORDER BY e.id DESC LIMIT 1`,
      [caseId, action],
    );
    return row ?? null;
  }

  /** A complaint against the notifier's warning succeeded: it no longer counts. */
  async withdrawWarningIn(m: EntityManager, key: string, actor: string, reason: string): Promise<void> {
    const row = await this.locked(m, key);
    if (row.warnings === 0) return;
    await m.query(
      `UPDATE notifier_standings SET warnings = warnings - 1,
         status = CASE WHEN status = 'suspended' THEN status
                       WHEN warnings - 1 > 0 THEN 'warned' ELSE 'good' END::notifier_standing_status,
         warned_at = CASE WHEN warnings - 1 > 0 THEN warned_at END, updated_at = now() WHERE id = $1`,
      [row.id],
    );
    await this.event(m, row.id, actor, 'warning_withdrawn', { warnings: row.warnings - 1 }, reason);
  }

  /**
   * A complaint against the notifier's suspension succeeded: a suspension in force ends now; one that already ended
   * is recorded as reversed. Notices held meanwhile stay with staff, in review.
   */
  async reverseSuspensionIn(m: EntityManager, key: string, actor: string, reason: string): Promise<void> {
    const row = await this.locked(m, key);
    if (effectiveStatus(row) === NotifierStandingStatus.Suspended) {
      await this.endSuspension(m, row, actor, 'suspension_reversed', reason);
    } else {
      await this.event(m, row.id, actor, 'suspension_reversed', { until: null }, reason);
    }
  }

  private async endSuspension(
    m: EntityManager,
    row: StandingRow,
    actor: string,
    action: 'lifted' | 'suspension_reversed',
    reason: string,
  ): Promise<string> {
    await m.query(
      `UPDATE notifier_standings SET status = CASE WHEN warnings > 0 THEN 'warned' ELSE 'good' END::notifier_standing_status,
         suspended_until = now(), updated_at = now() WHERE id = $1`,
      [row.id],
    );
    return this.event(m, row.id, actor, action, { until: row.suspended_until?.toISOString() ?? null }, reason);
  }

  /** The suspension in force for the notifier of a case, if any: routing holds the case for it. */
  async suspensionFor(m: EntityManager, caseId: string): Promise<ActiveSuspension | null> {
    const [row] = await m.query<{ id: string; notifier_key: string; suspended_until: Date }[]>(
      `SELECT s.id, s.notifier_key, s.suspended_until FROM notifier_standings s
       WHERE s.notifier_key = (SELECT ${notifierKeySql('c')} FROM cases c WHERE c.id = $1)
         AND s.status = 'suspended' AND s.suspended_until > now()`,
      [caseId],
    );
    return row ? { key: row.notifier_key, standingId: row.id, until: row.suspended_until } : null;
  }

  /** The letter to a suspended notifier whose notice was kept and held. */
  async tellHeld(
    m: EntityManager,
    kase: { id: string; reference: string; status_token: string; language: Locale },
    suspension: ActiveSuspension,
    occasion: string,
  ): Promise<void> {
    await this.tell(m, kase, LetterKind.NotifierNoticeHeld, `notifier-held:${occasion}`, { until: suspension.until });
  }

  private async latestCase(
    m: EntityManager,
    key: string,
  ): Promise<{ id: string; reference: string; status_token: string; language: Locale }> {
    const [kase] = await m.query<{ id: string; reference: string; status_token: string; language: Locale }[]>(
      `SELECT c.id, c.reference, c.status_token, c.language FROM cases c WHERE ${notifierCasesSql('c', 1)}
       ORDER BY c.created_at DESC, c.id DESC LIMIT 1`,
      [key],
    );
    if (!kase) throw new NotifierNotFoundError(`No case was sent by notifier ${key}.`);
    return kase;
  }

  private async locked(m: EntityManager, key: string): Promise<StandingRow> {
    await m.query(`INSERT INTO notifier_standings (notifier_key) VALUES ($1) ON CONFLICT (notifier_key) DO NOTHING`, [
      key,
    ]);
    const [row] = await m.query<StandingRow[]>(`${STANDING} WHERE notifier_key = $1 FOR UPDATE`, [key]);
    return row;
  }

  private async event(
    m: EntityManager,
    standingId: string,
    actor: string,
    action: NotifierEventAction,
    detail: Record<string, unknown>,
    reason: string,
  ): Promise<string> {
    const [row] = await m.query<{ id: string }[]>(
      `INSERT INTO notifier_events (standing_id, actor, action, detail, reason_text) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [standingId, actor, action, JSON.stringify(detail), reason],
    );
    return row.id;
  }

  /** The notifier's letter, recorded on the case named, to that case's complainant address, in the case's language. */
  private async tell(
    m: EntityManager,
    kase: { id: string; reference: string; status_token: string; language: Locale },
    kind: LetterKind,
    occasion: string,
    context: Record<string, unknown>,
  ): Promise<void> {
    const recipient = await complainantAddress(m, this.vault, kase.id);
    await this.letters.record(
      m,
      { id: kase.id, reference: kase.reference, statusToken: kase.status_token, language: kase.language },
      kind,
      occasion,
      recipient,
      context,
    );
  }
}

function effectiveStatus(row: StandingRow): NotifierStandingStatus {
  if (row.status === NotifierStandingStatus.Suspended && row.suspended_until && row.suspended_until <= new Date()) {
    return row.warnings > 0 ? NotifierStandingStatus.Warned : NotifierStandingStatus.Good;
  }
  return row.status;
}
