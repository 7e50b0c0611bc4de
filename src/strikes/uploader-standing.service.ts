import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { uploaderToken } from '../cases/uploader-links';
import { type AppConfig, appConfig } from '../core/config';
import { DomainError } from '../core/errors';
import type { Locale } from '../core/i18n/locales';
import { ERASED, PersonalData, WITHHELD } from '../core/privacy/personal-data.service';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { SITE_ADAPTER, type SiteAdapter } from '../site/site-adapter';
import { StrikeLedger } from './strike-ledger.service';
import type { StrikeVoidReason } from './strike.entity';
import type { UploaderEventAction } from './uploader-event.entity';
import { UploaderStandingStatus } from './uploader-standing.entity';

export class UploaderNotFoundError extends DomainError {
  readonly kind = 'not_found';
}

export class StandingConflictError extends DomainError {
  readonly kind = 'conflict';
}

export interface UploaderSummary {
  uploaderId: string;
  status: UploaderStandingStatus;
  activeStrikes: number;
  threshold: number;
  recommendedAt: Date | null;
  recommendedStrikes: number | null;
  suspendedAt: Date | null;
  suspensionReference: string | null;
  lastCase: string | null;
}

export interface StrikeView {
  id: string;
  case: string;
  createdAt: Date;
  expiresAt: Date;
  active: boolean;
  voidedAt: Date | null;
  voidReason: StrikeVoidReason | null;
}

export interface UploaderEventView {
  at: Date;
  actor: string;
  action: UploaderEventAction;
  detail: Record<string, unknown>;
  reason: string | null;
}

export interface UploaderDetail extends UploaderSummary {
  suspendedBy: string | null;
  suspendedStrikes: number | null;
  strikes: StrikeView[];
  events: UploaderEventView[];
}

interface StandingRow {
  id: string;
  uploader_id: string;
  status: UploaderStandingStatus;
  email: string | null;
  last_case_id: string | null;
  suspension_reference: string | null;
}

/**
 * Staff's decisions on an uploader's standing (17 U.S.C. 512(i)): approving the termination the ledger recommended,
 * declining it, and reinstating a terminated uploader. Only a person does any of these; each calls the site
 * (suspendUploader / reinstateUploader), records the event, and writes the uploader a letter, in one transaction
 * under the standing's lock: a site that refuses leaves nothing recorded, and the call is idempotent, so staff may
 * try again.
 */
@Injectable()
export class UploaderStandingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: StrikeLedger,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Standings in `status` (the recommendations staff are to decide, by default), oldest first. */
  async list(status: UploaderStandingStatus = UploaderStandingStatus.Recommended): Promise<UploaderSummary[]> {
    const m = this.dataSource.manager;
    const rows = await m.query<SummaryRow[]>(
      `${SUMMARY} WHERE s.status = $1 ORDER BY COALESCE(s.recommended_at, s.suspended_at, s.updated_at), s.id LIMIT 500`,
      [status],
    );
    return (await this.summaries(m, rows)).map(({ activeStrikeIds: _ids, ...summary }) => summary);
  }

  async detail(uploaderId: string): Promise<UploaderDetail> {
    const m = this.dataSource.manager;
    const [row] = await m.query<
      (SummaryRow & { id: string; suspended_by: string | null; suspended_strikes: number | null })[]
    >(`${SUMMARY} WHERE s.uploader_id = $1`, [uploaderId]);
    if (!row) throw new UploaderNotFoundError(`No uploader ${uploaderId} has a strike.`);
    const [{ activeStrikeIds, ...summary }] = await this.summaries(m, [row]);
    const strikes = await m.query<
      {
        id: string;
        reference: string;
        created_at: Date;
        expires_at: Date;
        voided_at: Date | null;
        void_reason: StrikeVoidReason | null;
      }[]
    >(
      `SELECT k.id, c.reference, k.created_at, k.expires_at, k.voided_at, k.void_reason
       FROM strikes k JOIN cases c ON c.id = k.case_id WHERE k.uploader_id = $1 ORDER BY k.created_at DESC, k.id`,
      [uploaderId],
    );
    const events = await m.query<
      {
        at: Date;
        actor: string;
        action: UploaderEventAction;
        detail: Record<string, unknown>;
        reason_text: string | null;
      }[]
    >(`SELECT at, actor, action, detail, reason_text FROM uploader_events WHERE standing_id = $1 ORDER BY id`, [
      row.id,
    ]);
    return {
      ...summary,
      suspendedBy: row.suspended_by,
      suspendedStrikes: row.suspended_strikes,
      strikes: strikes.map((k) => ({
        id: k.id,
        case: k.reference,
        createdAt: k.created_at,
        expiresAt: k.expires_at,
        // The ledger's clock decides what is active; this list only shows it.
        active: activeStrikeIds.has(k.id),
        voidedAt: k.voided_at,
        voidReason: k.void_reason,
      })),
      events: events.map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action,
        detail: e.detail,
        reason: e.reason_text,
      })),
    };
  }

  /** Staff approve the recommended termination: the site suspends the uploader, who is told how to contest it. */
  async suspend(uploaderId: string, actor: string, reason: string): Promise<UploaderSummary> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.locked(m, uploaderId);
      if (row.status !== UploaderStandingStatus.Recommended) {
        throw new StandingConflictError(
          row.status === UploaderStandingStatus.Suspended
            ? `Uploader ${uploaderId} is already terminated (${row.suspension_reference}).`
            : `Uploader ${uploaderId} is not recommended for termination: only a recommendation the strikes made can be approved.`,
        );
      }
      const count = (await this.ledger.counts(m, [uploaderId])).get(uploaderId)!;
      if (count.active < this.ledger.threshold) {
        await this.ledger.withdrawLapsed(m, [uploaderId], actor);
        throw new StandingConflictError(
          `Uploader ${uploaderId} has ${count.active} active strike(s) now (strikes expired or were voided since the ` +
            `recommendation); the policy terminates at ${this.ledger.threshold}. The recommendation is withdrawn.`,
        );
      }
      const reference = `TERM-${new Date().getUTCFullYear()}-${randomBytes(4).toString('hex').toUpperCase()}`;
      await this.site.suspendUploader(uploaderId, reference);
      const now = new Date();
      await this.ledger.moveStanding(
        m,
        uploaderId,
        UploaderStandingStatus.Recommended,
        UploaderStandingStatus.Suspended,
        {
          actor,
          action: 'suspended',
          detail: { activeStrikes: count.active, threshold: this.ledger.threshold, reference },
          set: {
            suspended_at: now,
            suspended_by: actor,
            suspended_strikes: count.active,
            suspension_reference: reference,
          },
          reasonText: reason,
        },
      );
      await this.tell(m, row, LetterKind.UploaderTerminated, `termination:${reference}`, {
        reference,
        activeStrikes: count.active,
        threshold: this.ledger.threshold,
        at: now,
      });
    });
    return this.detail(uploaderId);
  }

  /** Staff decline the recommendation: the uploader stays; a later strike at the threshold recommends again. */
  async decline(uploaderId: string, actor: string, reason: string): Promise<UploaderSummary> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.locked(m, uploaderId);
      const count = (await this.ledger.counts(m, [uploaderId])).get(uploaderId)!;
      const moved = await this.ledger.moveStanding(
        m,
        uploaderId,
        UploaderStandingStatus.Recommended,
        UploaderStandingStatus.Good,
        {
          actor,
          action: 'recommendation_declined',
          detail: { activeStrikes: count.active },
          set: {},
          reasonText: reason,
        },
      );
      if (!moved)
        throw new StandingConflictError(`Uploader ${uploaderId} has no recommendation to decline (${row.status}).`);
    });
    return this.detail(uploaderId);
  }

  /** The way back from a termination: the site serves the uploader's pages again, and the uploader is told. */
  async reinstate(uploaderId: string, actor: string, reason: string): Promise<UploaderSummary> {
    await this.dataSource.transaction((m) => this.reinstateIn(m, uploaderId, actor, reason));
    return this.detail(uploaderId);
  }

  /** reinstate, inside the caller's transaction (a complaint reversing the termination). */
  async reinstateIn(m: EntityManager, uploaderId: string, actor: string, reason: string): Promise<void> {
    const row = await this.locked(m, uploaderId);
    if (row.status !== UploaderStandingStatus.Suspended) {
      throw new StandingConflictError(`Uploader ${uploaderId} is not terminated (${row.status}).`);
    }
    await this.site.reinstateUploader(uploaderId);
    const count = (await this.ledger.counts(m, [uploaderId])).get(uploaderId)!;
    const event = await this.ledger.moveStanding(
      m,
      uploaderId,
      UploaderStandingStatus.Suspended,
      UploaderStandingStatus.Good,
      {
        actor,
        action: 'reinstated',
        detail: { activeStrikes: count.active, reference: row.suspension_reference },
        set: { recommended_at: null, recommended_strikes: null },
        reasonText: reason,
      },
    );
    await this.tell(m, row, LetterKind.UploaderReinstated, `reinstatement:${event}`, {
      reference: row.suspension_reference,
      at: new Date(),
    });
  }

  private async locked(m: EntityManager, uploaderId: string): Promise<StandingRow> {
    const [row] = await m.query<StandingRow[]>(
      `SELECT id, uploader_id, status, email, last_case_id, suspension_reference
       FROM uploader_standings WHERE uploader_id = $1 FOR UPDATE`,
      [uploaderId],
    );
    if (!row) throw new UploaderNotFoundError(`No uploader ${uploaderId} has a strike.`);
    return row;
  }

  /**
   * The uploader's letter about their account, recorded on the case of their latest strike, in DEFAULT_LOCALE, with
   * their status page for that case (where they contest the decision) and the policy.
   */
  private async tell(
    m: EntityManager,
    row: StandingRow,
    kind: LetterKind,
    occasion: string,
    context: Record<string, unknown>,
  ): Promise<void> {
    if (!row.last_case_id) return;
    const [kase] = await m.query<{ id: string; reference: string; status_token: string; language: Locale }[]>(
      `SELECT id, reference, status_token, language FROM cases WHERE id = $1`,
      [row.last_case_id],
    );
    if (!kase) return;
    const [email] = await this.vault.open(m, [row.email], { includeWithheld: true });
    const address = email && email !== ERASED && email !== WITHHELD ? email : null;
    const letterCase = {
      id: kase.id,
      reference: kase.reference,
      statusToken: kase.status_token,
      language: kase.language,
    };
    await this.letters.record(m, letterCase, kind, occasion, address, {
      ...context,
      policyUrl: `${this.app.publicUrl}/policy/repeat-infringers`,
      uploaderStatusUrl: address
        ? `${this.app.publicUrl}/uploader/${await uploaderToken(m, this.vault, kase.id, address)}`
        : null,
    });
  }

  private async summaries(
    m: EntityManager,
    rows: SummaryRow[],
  ): Promise<(UploaderSummary & { activeStrikeIds: Set<string> })[]> {
    const counts = await this.ledger.counts(
      m,
      rows.map((r) => r.uploader_id),
    );
    const active = await m.query<{ id: string }[]>(
      `SELECT k.id FROM strikes k WHERE k.uploader_id = ANY($1::text[]) AND k.voided_at IS NULL AND k.expires_at > $2`,
      [rows.map((r) => r.uploader_id), this.ledger.clockNow()],
    );
    const activeStrikeIds = new Set(active.map((r) => r.id));
    return rows.map((r) => ({
      uploaderId: r.uploader_id,
      status: r.status,
      activeStrikes: counts.get(r.uploader_id)?.active ?? 0,
      threshold: this.ledger.threshold,
      recommendedAt: r.recommended_at,
      recommendedStrikes: r.recommended_strikes,
      suspendedAt: r.suspended_at,
      suspensionReference: r.suspension_reference,
      lastCase: r.last_case,
      activeStrikeIds,
    }));
  }
}

interface SummaryRow {
  id: string;
  uploader_id: string;
  status: UploaderStandingStatus;
  recommended_at: Date | null;
  recommended_strikes: number | null;
  suspended_at: Date | null;
  suspension_reference: string | null;
  last_case: string | null;
}

const SUMMARY = `SELECT s.id, s.uploader_id, s.status, s.recommended_at, s.recommended_strikes, s.suspended_at,
       s.suspended_by, s.suspended_strikes, s.suspension_reference, c.reference AS last_case
FROM uploader_standings s LEFT JOIN cases c ON c.id = s.last_case_id`;
