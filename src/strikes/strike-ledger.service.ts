import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { CLOCK, type Clock } from '../core/clock';
import { type StrikeConfig, strikeConfig } from '../core/config';
import { PersonalData } from '../core/privacy/personal-data.service';
import { StrikeVoidReason } from './strike.entity';
import { UploaderStandingStatus } from './uploader-standing.entity';
import type { UploaderEventAction } from './uploader-event.entity';

/** An uploader whose links a removal took down: the account, and the address the site gave for it. */
export interface StruckUploader {
  uploaderId: string;
  email: string | null;
}

/** An uploader's active strikes as a letter or a page tells them. */
export interface StrikeCount {
  uploaderId: string;
  active: number;
  threshold: number;
  /** When each active strike expires, soonest first. */
  expiries: Date[];
  status: UploaderStandingStatus;
}

/**
 * The repeat-infringer ledger (17 U.S.C. 512(i)): strikes recorded when a removal is carried out, voided when the
 * removal is undone, expired after STRIKE_EXPIRY_DAYS; at STRIKE_THRESHOLD active strikes the uploader is recommended
 * for termination, which only a person approves (UploaderStandingService). Every method runs in the caller's
 * transaction; every time read is the injected clock's, so a test can move it past an expiry.
 */
@Injectable()
export class StrikeLedger {
  constructor(
    private readonly vault: PersonalData,
    @Inject(strikeConfig.KEY) private readonly config: StrikeConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  get threshold(): number {
    return this.config.threshold;
  }

  get expiryDays(): number {
    return this.config.expiryDays;
  }

  /** The ledger's time: what "active" and "expired" are read against. */
  clockNow(): Date {
    return this.now();
  }

  /**
   * One strike per uploader for the case's notice (a second removal round of the same case adds none), the
   * uploaders' standings made or their address brought up to date, and a recommendation for each that the strikes
   * bring to the threshold. Returns the uploaders' counts after it.
   */
  async record(m: EntityManager, caseId: string, uploaders: StruckUploader[]): Promise<Map<string, StrikeCount>> {
    const byId = new Map<string, StruckUploader>();
    for (const u of uploaders) {
      // One entry per account, keeping an address where any of its links gave one.
      if (u.uploaderId && !byId.get(u.uploaderId)?.email) byId.set(u.uploaderId, u);
    }
    if (byId.size === 0) return new Map();
    const now = this.now();
    const ids = [...byId.keys()];
    const created = await m.query<{ id: string }[]>(
      `INSERT INTO strikes (uploader_id, case_id, created_at, expires_at)
       SELECT u, $2, $3, $3::timestamptz + make_interval(days => $4) FROM unnest($1::text[]) AS u
       ON CONFLICT (uploader_id, case_id) DO NOTHING RETURNING id`,
      [ids, caseId, now, this.config.expiryDays],
    );
    if (created.length > 0) await audit(m, caseId, 'worker', 'strikes.recorded', { strikes: created.map((r) => r.id) });
    // The standings in one statement (an upsert touches each row once: one entry per account), sorted so that
    // concurrent writers take the rows in one order.
    const standings = [...byId.values()]
      .map((u) => ({ uploaderId: u.uploaderId, address: u.email?.trim().toLowerCase() || null }))
      .sort((a, b) => (a.uploaderId < b.uploaderId ? -1 : a.uploaderId > b.uploaderId ? 1 : 0));
    const addressed = standings.filter((u) => u.address);
    const subjectIds = await this.vault.subjects(
      m,
      addressed.map((u) => u.address),
    );
    const sealed = await this.vault.sealMany(
      m,
      addressed.map((u, i) => ({ subjectId: subjectIds[i], values: [u.address] })),
    );
    const sealedOf = new Map(
      addressed.map((u, i) => [u.uploaderId, { subjectId: subjectIds[i], email: sealed[i][0] }]),
    );
    await m.query(
      `INSERT INTO uploader_standings (uploader_id, email, email_hash, subject_id, last_case_id)
       SELECT u.uploader_id, u.email, u.email_hash, u.subject_id, $5
       FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[]) AS u(uploader_id, email, email_hash, subject_id)
       ON CONFLICT (uploader_id) DO UPDATE SET
         email = COALESCE(EXCLUDED.email, uploader_standings.email),
         email_hash = COALESCE(EXCLUDED.email_hash, uploader_standings.email_hash),
         subject_id = COALESCE(EXCLUDED.subject_id, uploader_standings.subject_id),
         last_case_id = EXCLUDED.last_case_id, updated_at = now()`,
      [
        standings.map((u) => u.uploaderId),
        standings.map((u) => sealedOf.get(u.uploaderId)?.email ?? null),
        standings.map((u) => (u.address ? this.vault.hashEmail(u.address) : null)),
        standings.map((u) => sealedOf.get(u.uploaderId)?.subjectId ?? null),
        caseId,
      ],
    );
    const counts = await this.counts(m, ids);
    for (const count of counts.values()) {
      if (count.status === UploaderStandingStatus.Good && count.active >= this.config.threshold) {
        await this.moveStanding(m, count.uploaderId, UploaderStandingStatus.Good, UploaderStandingStatus.Recommended, {
          actor: 'worker',
          action: 'termination_recommended',
          detail: { activeStrikes: count.active, threshold: this.config.threshold, caseId },
          set: { recommended_at: now, recommended_strikes: count.active },
        });
        count.status = UploaderStandingStatus.Recommended;
        await audit(m, caseId, 'worker', 'strikes.termination_recommended', {
          activeStrikes: count.active,
          threshold: this.config.threshold,
        });
      }
    }
    return counts;
  }

  /**
   * Voids the case's strikes (those of `uploaderIds` only, when given) that are still standing, and withdraws a
   * recommendation they no longer carry. A suspended uploader stays suspended: reinstating is a person's decision,
   * which the staff page prompts.
   */
  async void(
    m: EntityManager,
    caseId: string,
    reason: StrikeVoidReason,
    actor: string,
    uploaderIds?: string[],
  ): Promise<number> {
    const voided = await m.query<{ id: string; uploader_id: string }[]>(
      `WITH voided AS (
         UPDATE strikes SET voided_at = $2, void_reason = $3, voided_by = $4
         WHERE case_id = $1 AND voided_at IS NULL AND ($5::text[] IS NULL OR uploader_id = ANY($5::text[]))
         RETURNING id, uploader_id)
       SELECT id, uploader_id FROM voided`,
      [caseId, this.now(), reason, actor, uploaderIds ?? null],
    );
    if (voided.length === 0) return 0;
    await audit(m, caseId, actor, 'strikes.voided', { strikes: voided.map((r) => r.id), reason });
    await this.withdrawLapsed(m, [...new Set(voided.map((r) => r.uploader_id))], actor);
    return voided.length;
  }

  /** Recommendations whose uploader has fallen below the threshold (voided or expired strikes) are withdrawn. */
  async withdrawLapsed(m: EntityManager, uploaderIds: string[], actor: string): Promise<void> {
    for (const count of (await this.counts(m, uploaderIds)).values()) {
      if (count.status === UploaderStandingStatus.Recommended && count.active < this.config.threshold) {
        await this.moveStanding(m, count.uploaderId, UploaderStandingStatus.Recommended, UploaderStandingStatus.Good, {
          actor,
          action: 'recommendation_withdrawn',
          detail: { activeStrikes: count.active, threshold: this.config.threshold },
          set: {},
        });
      }
    }
  }

  /** The uploaders' active strikes and standing now; an uploader with no standing yet counts none. */
  async counts(m: EntityManager, uploaderIds: string[]): Promise<Map<string, StrikeCount>> {
    const rows = await m.query<{ uploader_id: string; status: UploaderStandingStatus | null; expiries: Date[] }[]>(
      `SELECT u.uploader_id, s.status,
              COALESCE(array_agg(k.expires_at ORDER BY k.expires_at) FILTER (WHERE k.id IS NOT NULL), '{}') AS expiries
       FROM unnest($1::text[]) AS u(uploader_id)
       LEFT JOIN uploader_standings s ON s.uploader_id = u.uploader_id
       LEFT JOIN strikes k ON k.uploader_id = u.uploader_id AND k.voided_at IS NULL AND k.expires_at > $2
       GROUP BY u.uploader_id, s.status`,
      [[...new Set(uploaderIds)], this.now()],
    );
    return new Map(
      rows.map((r) => [
        r.uploader_id,
        {
          uploaderId: r.uploader_id,
          active: r.expiries.length,
          threshold: this.config.threshold,
          expiries: r.expiries.map((d) => new Date(d)),
          status: r.status ?? UploaderStandingStatus.Good,
        },
      ]),
    );
  }

  /**
   * Moves a standing from one status to another, with its event, only if it is still in `from` (locked): the one
   * door for standing changes, shared with UploaderStandingService. False when it was not in `from`.
   */
  async moveStanding(
    m: EntityManager,
    uploaderId: string,
    from: UploaderStandingStatus,
    to: UploaderStandingStatus,
    change: {
      actor: string;
      action: UploaderEventAction;
      detail: Record<string, unknown>;
      set: Record<string, unknown>;
      reasonText?: string | null;
    },
  ): Promise<string | null> {
    // Column names come from this code's callers, never from input; values are parameters.
    const columns = Object.keys(change.set);
    const assignments = columns.map((c, i) => `, ${c} = $${i + 4}`).join('');
    const moved = await m.query<{ id: string }[]>(
      `WITH moved AS (
         UPDATE uploader_standings SET status = $3, updated_at = now()${assignments}
         WHERE uploader_id = $1 AND status = $2 RETURNING id)
       SELECT id FROM moved`,
      [uploaderId, from, to, ...columns.map((c) => change.set[c])],
    );
    if (moved.length === 0) return null;
    const [event] = await m.query<{ id: string }[]>(
      `INSERT INTO uploader_events (standing_id, actor, action, detail, reason_text) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [moved[0].id, change.actor, change.action, JSON.stringify(change.detail), change.reasonText ?? null],
    );
    return event.id;
  }
}
