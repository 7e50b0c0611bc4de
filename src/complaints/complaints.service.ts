import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { CaseStatus } from '../cases/case.entity';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { recordText } from '../cases/case-texts';
import { complainantAddress } from '../cases/complainant-address';
import { moveLinks } from '../cases/link-transitions';
import { LinkStatus } from '../cases/reported-link.entity';
import { uploaderToken } from '../cases/uploader-links';
import { CLOCK, type Clock } from '../core/clock';
import { type AppConfig, appConfig } from '../core/config';
import { DomainError } from '../core/errors';
import { isLocale, type Locale } from '../core/i18n/locales';
import { ERASED, PersonalData, WITHHELD } from '../core/privacy/personal-data.service';
import { JobName, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { NotifierStandingsService } from '../notifiers/notifier-standings.service';
import { StrikeVoidReason } from '../strikes/strike.entity';
import { StrikeLedger } from '../strikes/strike-ledger.service';
import { UploaderStandingService } from '../strikes/uploader-standing.service';
import { ComplaintBy, ComplaintStatus, ComplaintSubject } from './complaint.entity';

/** DSA Art. 20(1): a complaint may be lodged for at least six months after the person was told of the decision. */
export const COMPLAINT_MONTHS = 6;

export class ComplaintRefusedError extends DomainError {
  readonly kind = 'invalid';
}

export class ComplaintNotFoundError extends DomainError {
  readonly kind = 'not_found';
}

export class ComplaintConflictError extends DomainError {
  readonly kind = 'conflict';
}

export interface ComplaintView {
  id: string;
  reference: string;
  by: ComplaintBy;
  subject: ComplaintSubject;
  status: ComplaintStatus;
  receivedAt: Date;
  toldAt: Date;
  /** The last day it could have been lodged: six months after the person was told. */
  deadline: Date;
  decisionBy: string | null;
  reviewedBy: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  answer: string | null;
  /** Kept but not processed while its filer is suspended as a notifier (DSA Art. 23(1)). */
  heldUntil: Date | null;
  text?: string;
}

/**
 * What each party may contest: the uploader their removal, its strike and a termination; the complainant a rejection,
 * the restoration of what their notice removed, and a warning or suspension of themselves as a notifier.
 */
export const SUBJECTS_OF: Record<ComplaintBy, readonly ComplaintSubject[]> = {
  [ComplaintBy.Uploader]: [ComplaintSubject.Removal, ComplaintSubject.Strike, ComplaintSubject.Termination],
  [ComplaintBy.Complainant]: [
    ComplaintSubject.Rejection,
    ComplaintSubject.Restoration,
    ComplaintSubject.NotifierWarning,
    ComplaintSubject.NotifierSuspension,
  ],
};

interface Filer {
  by: ComplaintBy;
  caseId: string;
  reference: string;
  statusToken: string;
  language: Locale;
  email: string | null;
  emailHash: string | null;
  subjectId: string | null;
}

interface ContestedDecision {
  toldAt: Date;
  decisionBy: string | null;
  uploaderIds: string[];
}

interface ComplaintRow {
  id: string;
  case_id: string;
  reference: string;
  status_token: string;
  case_language: Locale;
  case_status: CaseStatus;
  by: ComplaintBy;
  subject: ComplaintSubject;
  status: ComplaintStatus;
  text: string;
  email_hash: string | null;
  subject_id: string | null;
  uploader_ids: string[];
  told_at: Date;
  decision_by: string | null;
  language: Locale;
  received_at: Date;
  reviewed_by: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  answer: string | null;
  held_until: Date | null;
}

/**
 * Complaints against decisions (DSA Art. 20): lodged from the uploader's or the complainant's status page within six
 * months of being told of the decision, reviewed and decided by a person (not the one who made the decision, where
 * the team has another), answered with reasons in a letter that names the out-of-court settlement bodies and the
 * courts (Art. 20(5), 21). Reversing undoes the decision through the same doors staff use: a removal's links are
 * restored (and its strikes voided), a strike is voided, a termination reinstated, a rejected case re-opened.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: PersonalData,
    private readonly letters: LettersService,
    private readonly ledger: StrikeLedger,
    private readonly standings: UploaderStandingService,
    private readonly notifiers: NotifierStandingsService,
    private readonly transitions: CaseTransitionsService,
    private readonly outbox: OutboxService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /** The uploader contests a decision about their material through their status link. */
  fileByUploader(token: string, subject: ComplaintSubject, text: string, locale?: Locale): Promise<ComplaintView> {
    return this.dataSource.transaction(async (m) => {
      const [link] = await m.query<
        {
          case_id: string;
          reference: string;
          status_token: string;
          email: string;
          email_hash: string | null;
          subject_id: string | null;
        }[]
      >(
        `SELECT u.case_id, c.reference, c.status_token, u.email, u.email_hash, u.subject_id
         FROM uploader_links u JOIN cases c ON c.id = u.case_id WHERE u.token = $1`,
        [token],
      );
      if (!link) throw new ComplaintNotFoundError('No case has this link.');
      const [email] = await this.vault.open(m, [link.email], { includeWithheld: true });
      const filer: Filer = {
        by: ComplaintBy.Uploader,
        caseId: link.case_id,
        reference: link.reference,
        statusToken: link.status_token,
        language: locale ?? this.app.defaultLocale,
        email: usable(email),
        emailHash: link.email_hash,
        subjectId: link.subject_id,
      };
      return this.file(m, filer, subject, text);
    });
  }

  /** The complainant contests the rejection of their notice through their status link. */
  fileByComplainant(token: string, subject: ComplaintSubject, text: string, locale?: Locale): Promise<ComplaintView> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<{ id: string; reference: string; status_token: string; language: Locale }[]>(
        `SELECT id, reference, status_token, language FROM cases WHERE status_token = $1`,
        [token],
      );
      if (!kase) throw new ComplaintNotFoundError('No case has this link.');
      const email = usable(await complainantAddress(m, this.vault, kase.id));
      const filer: Filer = {
        by: ComplaintBy.Complainant,
        caseId: kase.id,
        reference: kase.reference,
        statusToken: kase.status_token,
        language: locale ?? kase.language,
        email,
        emailHash: email ? this.vault.hashEmail(email) : null,
        subjectId: email ? await this.vault.subject(m, email) : null,
      };
      return this.file(m, filer, subject, text);
    });
  }

  /** Refuses an uploader status link that names no case (404), as the status page does. */
  async assertUploaderLink(token: string): Promise<void> {
    const [link] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM uploader_links WHERE token = $1`, [token]);
    if (!link) throw new ComplaintNotFoundError('No case has this link.');
  }

  /** The complaints lodged through a status link, for its page. */
  async forUploaderLink(token: string): Promise<ComplaintView[]> {
    const rows = await this.rows(
      `JOIN uploader_links u ON u.case_id = k.case_id AND u.email_hash IS NOT DISTINCT FROM k.email_hash
       WHERE u.token = $1 AND k.by = 'uploader'`,
      [token],
    );
    return rows.map((r) => this.view(r));
  }

  async forStatusLink(token: string): Promise<ComplaintView[]> {
    const rows = await this.rows(`WHERE c.status_token = $1 AND k.by = 'complainant'`, [token]);
    return rows.map((r) => this.view(r));
  }

  /** Staff's list: open complaints by default, oldest first. */
  async list(scope: 'open' | 'decided' | 'all' = 'open'): Promise<ComplaintView[]> {
    const where = {
      open: `WHERE k.status IN ('received', 'in_review')`,
      decided: `WHERE k.status IN ('upheld', 'reversed')`,
      all: '',
    }[scope];
    return (await this.rows(`${where} ORDER BY k.received_at, k.id LIMIT 500`, [])).map((r) => this.view(r));
  }

  /** A case's complaints with their words, for staff. */
  async forCase(caseId: string): Promise<ComplaintView[]> {
    const rows = await this.rows(`WHERE k.case_id = $1 ORDER BY k.received_at, k.id`, [caseId]);
    const texts = await this.vault.open(
      this.dataSource.manager,
      rows.map((r) => r.text),
    );
    return rows.map((r, i) => ({ ...this.view(r), text: texts[i] ?? '' }));
  }

  async detail(id: string): Promise<ComplaintView> {
    const [row] = await this.rows(`WHERE k.id = $1`, [id]);
    if (!row) throw new ComplaintNotFoundError(`No complaint ${id}.`);
    const [text] = await this.vault.open(this.dataSource.manager, [row.text]);
    return { ...this.view(row), text: text ?? '' };
  }

  /** A person takes the complaint up: received → in review. */
  async review(id: string, actor: string): Promise<ComplaintView> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.locked(m, id);
      if (row.status !== ComplaintStatus.Received) {
        throw new ComplaintConflictError(`Complaint ${id} is ${row.status}: only a received complaint is taken up.`);
      }
      await this.assertOtherPerson(m, row, actor);
      await this.assertNotHeld(m, row);
      await m.query(`UPDATE complaints SET status = 'in_review', reviewed_by = $2 WHERE id = $1`, [id, actor]);
      await audit(m, row.case_id, actor, 'complaint.in_review', { complaint: id });
    });
    return this.detail(id);
  }

  /**
   * The decision, with the reasoned answer sent to the person: `upheld` leaves the decision as it is, `reversed`
   * undoes it, in the same transaction.
   */
  async decide(id: string, outcome: 'upheld' | 'reversed', reason: string, actor: string): Promise<ComplaintView> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.locked(m, id);
      if (row.status === ComplaintStatus.Upheld || row.status === ComplaintStatus.Reversed) {
        throw new ComplaintConflictError(`Complaint ${id} was decided already (${row.status}).`);
      }
      await this.assertOtherPerson(m, row, actor);
      await this.assertNotHeld(m, row);
      const status = outcome === 'reversed' ? ComplaintStatus.Reversed : ComplaintStatus.Upheld;
      if (status === ComplaintStatus.Reversed) await this.reverse(m, row, actor, reason);
      await m.query(
        `UPDATE complaints SET status = $2, decided_by = $3, decided_at = $4, answer = $5,
                reviewed_by = COALESCE(reviewed_by, $3) WHERE id = $1`,
        [id, status, actor, this.now(), reason.trim()],
      );
      await audit(m, row.case_id, actor, 'complaint.decided', {
        complaint: id,
        outcome: status,
        reasonText: await recordText(m, row.case_id, actor, 'reason', reason.trim()),
      });
      await this.tell(m, row, LetterKind.ComplaintDecided, `complaint-decided:${id}`, {
        outcome: status,
        answer: reason.trim(),
        decidedAt: this.now(),
      });
    });
    return this.detail(id);
  }

  private async file(m: EntityManager, filer: Filer, subject: ComplaintSubject, text: string): Promise<ComplaintView> {
    if (!SUBJECTS_OF[filer.by].includes(subject)) {
      throw new ComplaintRefusedError(
        `Through this link you may contest: ${SUBJECTS_OF[filer.by].join(', ')}; not ${subject}.`,
      );
    }
    await m.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [filer.caseId]);
    const decision = await this.contested(m, filer, subject);
    const now = this.now();
    const deadline = addMonths(decision.toldAt, COMPLAINT_MONTHS);
    if (now > deadline) {
      throw new ComplaintRefusedError(
        `You were told of this decision on ${day(decision.toldAt)}; a complaint could be lodged until ${day(deadline)}, ` +
          `six months later (DSA Art. 20(1)). You may still turn to an out-of-court dispute settlement body or a court.`,
      );
    }
    const [open] = await m.query<{ id: string }[]>(
      `SELECT id FROM complaints WHERE case_id = $1 AND by = $2 AND subject = $3 AND status IN ('received', 'in_review')`,
      [filer.caseId, filer.by, subject],
    );
    if (open) {
      throw new ComplaintConflictError(
        `Your complaint about this ${subject} is already being handled; you will receive the decision by email.`,
      );
    }
    const sealed = filer.subjectId ? await this.vault.seal(m, filer.subjectId, text.trim()) : text.trim();
    // A suspended notifier's complaints are kept, not processed (DSA Art. 23(1)); a complaint against the
    // suspension itself is always taken up.
    const suspension =
      filer.by === ComplaintBy.Complainant && subject !== ComplaintSubject.NotifierSuspension
        ? await this.notifiers.suspensionFor(m, filer.caseId)
        : null;
    const [row] = await m.query<{ id: string }[]>(
      `INSERT INTO complaints (case_id, by, subject, text, email_hash, subject_id, uploader_ids, told_at, decision_by,
                               language, received_at, held_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        filer.caseId,
        filer.by,
        subject,
        sealed,
        filer.emailHash,
        filer.subjectId,
        decision.uploaderIds,
        decision.toldAt,
        decision.decisionBy,
        filer.language,
        now,
        suspension?.until ?? null,
      ],
    );
    await audit(m, filer.caseId, filer.by === ComplaintBy.Uploader ? 'uploader' : 'sender', 'complaint.received', {
      complaint: row.id,
      by: filer.by,
      subject,
    });
    const locked = await this.locked(m, row.id);
    await this.tell(m, locked, LetterKind.ComplaintReceived, `complaint-received:${row.id}`, {
      subject,
      heldUntil: suspension?.until ?? null,
    });
    return this.view(locked);
  }

  /** When the person was told of the decision and who made it; refused when there is no such decision to contest. */
  private async contested(m: EntityManager, filer: Filer, subject: ComplaintSubject): Promise<ContestedDecision> {
    const approver = async (): Promise<string | null> => {
      const [row] = await m.query<{ actor: string }[]>(
        `SELECT actor FROM audit_events WHERE case_id = $1 AND action = 'takedowns.approved' ORDER BY id DESC LIMIT 1`,
        [filer.caseId],
      );
      return row && isStaffActor(row.actor) ? row.actor : null;
    };
    if (subject === ComplaintSubject.Rejection) {
      const [rejected] = await m.query<{ at: Date; actor: string }[]>(
        `SELECT at, actor FROM audit_events WHERE case_id = $1 AND action IN ('case.rejected', 'links.rejected')
         ORDER BY id DESC LIMIT 1`,
        [filer.caseId],
      );
      if (!rejected)
        throw new ComplaintRefusedError('Nothing of this notice was rejected: there is no rejection to contest.');
      return { toldAt: rejected.at, decisionBy: isStaffActor(rejected.actor) ? rejected.actor : null, uploaderIds: [] };
    }
    if (subject === ComplaintSubject.Restoration) {
      const [restored] = await m.query<{ at: Date; actor: string }[]>(
        `SELECT at, actor FROM audit_events WHERE case_id = $1 AND action = 'links.restored' ORDER BY id DESC LIMIT 1`,
        [filer.caseId],
      );
      if (!restored)
        throw new ComplaintRefusedError(
          'Nothing this notice removed was restored: there is no restoration to contest.',
        );
      return { toldAt: restored.at, decisionBy: isStaffActor(restored.actor) ? restored.actor : null, uploaderIds: [] };
    }
    if (subject === ComplaintSubject.NotifierWarning || subject === ComplaintSubject.NotifierSuspension) {
      const action = subject === ComplaintSubject.NotifierWarning ? 'warned' : 'suspended';
      const decision = await this.notifiers.decisionFor(m, filer.caseId, action);
      if (!decision) {
        throw new ComplaintRefusedError(
          `You were not ${action} as a notifier: there is no ${action === 'warned' ? 'warning' : 'suspension'} to contest.`,
        );
      }
      return { toldAt: decision.at, decisionBy: isStaffActor(decision.actor) ? decision.actor : null, uploaderIds: [] };
    }
    const removed = await m.query<{ done_at: Date; uploader_id: string | null }[]>(
      `SELECT t.done_at, t.uploader_id FROM takedowns t
       WHERE t.case_id = $1 AND t.uploader->>'emailHash' = $2 AND t.done_at IS NOT NULL ORDER BY t.done_at`,
      [filer.caseId, filer.emailHash],
    );
    const uploaderIds = [...new Set(removed.flatMap((r) => (r.uploader_id ? [r.uploader_id] : [])))];
    if (subject === ComplaintSubject.Removal) {
      if (removed.length === 0) throw new ComplaintRefusedError('Nothing of yours was removed for this notice.');
      return { toldAt: removed[0].done_at, decisionBy: await approver(), uploaderIds };
    }
    if (subject === ComplaintSubject.Strike) {
      const [strike] = await m.query<{ created_at: Date }[]>(
        `SELECT created_at FROM strikes WHERE case_id = $1 AND uploader_id = ANY($2::text[]) AND voided_at IS NULL
         ORDER BY created_at LIMIT 1`,
        [filer.caseId, uploaderIds],
      );
      if (!strike) throw new ComplaintRefusedError('This notice gave your account no strike that still stands.');
      return { toldAt: strike.created_at, decisionBy: await approver(), uploaderIds };
    }
    const [terminated] = await m.query<{ suspended_at: Date; suspended_by: string | null; uploader_id: string }[]>(
      `SELECT suspended_at, suspended_by, uploader_id FROM uploader_standings
       WHERE uploader_id = ANY($1::text[]) AND status = 'suspended' ORDER BY suspended_at DESC LIMIT 1`,
      [uploaderIds],
    );
    if (!terminated)
      throw new ComplaintRefusedError('Your account is not terminated: there is no termination to contest.');
    return {
      toldAt: terminated.suspended_at,
      decisionBy: terminated.suspended_by,
      uploaderIds: [terminated.uploader_id],
    };
  }

  /** Art. 20(6): not decided by the person who made the decision, unless nobody else on the team can decide. */
  private async assertOtherPerson(m: EntityManager, row: ComplaintRow, actor: string): Promise<void> {
    if (!row.decision_by || row.decision_by !== actor) return;
    const [other] = await m.query<{ id: string }[]>(
      `SELECT id FROM staff_users WHERE role IN ('admin', 'legal') AND disabled_at IS NULL AND id::text <> $1 LIMIT 1`,
      [actor],
    );
    if (other) {
      throw new ComplaintConflictError(
        'You made the decision this complaint contests: another member of the team decides it (DSA Art. 20(6)).',
      );
    }
  }

  /** A held complaint waits while its filer's suspension as a notifier lasts; lifting or its end frees it. */
  private async assertNotHeld(m: EntityManager, row: ComplaintRow): Promise<void> {
    if (!row.held_until) return;
    const suspension = await this.notifiers.suspensionFor(m, row.case_id);
    if (suspension) {
      throw new ComplaintConflictError(
        `Complaint ${row.id} is kept but not processed: its filer's notices and complaints are suspended until ` +
          `${day(suspension.until)} (DSA Art. 23(1)). Lift the suspension, or take the complaint up when it ends.`,
      );
    }
  }

  private async reverse(m: EntityManager, row: ComplaintRow, actor: string, reason: string): Promise<void> {
    const why = `Complaint ${row.id} reversed the ${row.subject}: ${reason.trim()}`;
    switch (row.subject) {
      case ComplaintSubject.Removal: {
        // The strikes first, so that they are voided for the complaint rather than as a staff restoration.
        await this.ledger.void(m, row.case_id, StrikeVoidReason.ComplaintUpheld, actor, row.uploader_ids);
        const links = await m.query<{ id: string; url: string }[]>(
          `SELECT DISTINCT l.id, l.url FROM reported_links l JOIN takedowns t ON t.reported_link_id = l.id
           WHERE t.case_id = $1 AND t.uploader->>'emailHash' = $2 AND t.status = 'done' AND l.status = 'taken_down'`,
          [row.case_id, row.email_hash],
        );
        if (links.length === 0) return;
        const { event: restoration, moved } = await moveLinks(m, {
          caseId: row.case_id,
          actor,
          moves: [{ linkIds: links.map((l) => l.id), to: LinkStatus.Restored }],
          onRefused: 'skip',
          event: {
            action: 'links.restored',
            detail: {
              links: links.map((l) => l.url),
              reasonText: await recordText(m, row.case_id, actor, 'reason', why),
            },
          },
        });
        if (moved.length > 0) {
          await this.outbox.enqueue(m, [
            { queue: QueueName.Takedowns, name: JobName.RestoreLinks, data: { caseId: row.case_id, restoration } },
          ]);
        }
        return;
      }
      case ComplaintSubject.Strike:
        await this.ledger.void(m, row.case_id, StrikeVoidReason.ComplaintUpheld, actor, row.uploader_ids);
        return;
      case ComplaintSubject.Termination:
        for (const uploaderId of row.uploader_ids) await this.standings.reinstateIn(m, uploaderId, actor, why);
        return;
      case ComplaintSubject.Rejection:
        return this.reopen(m, row.case_id, [CaseStatus.Rejected], actor, why);
      case ComplaintSubject.Restoration:
        // The material goes back down only by a person's new approval of the restored links (Restored → Approved):
        // reversing re-opens the case for it, as staff would on new facts such as a suit filed in time.
        return this.reopen(m, row.case_id, [CaseStatus.Actioned, CaseStatus.Closed], actor, why);
      case ComplaintSubject.NotifierWarning:
      case ComplaintSubject.NotifierSuspension: {
        const key =
          (await this.notifiers.decisionFor(m, row.case_id, 'warned'))?.key ??
          (await this.notifiers.decisionFor(m, row.case_id, 'suspended'))?.key;
        if (!key) return;
        if (row.subject === ComplaintSubject.NotifierWarning)
          await this.notifiers.withdrawWarningIn(m, key, actor, why);
        else await this.notifiers.reverseSuspensionIn(m, key, actor, why);
        return;
      }
    }
  }

  /** Sends the case back to review when it is in one of `from`. */
  private async reopen(
    m: EntityManager,
    caseId: string,
    from: CaseStatus[],
    actor: string,
    why: string,
  ): Promise<void> {
    const [kase] = await m.query<{ id: string; status: CaseStatus }[]>(
      `SELECT id, status FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    if (from.includes(kase.status)) await this.transitions.apply(m, kase, CaseStatus.InReview, actor, why);
  }

  /** The person's letter about their complaint, in their language, with their own status page. */
  private async tell(
    m: EntityManager,
    row: ComplaintRow,
    kind: LetterKind,
    occasion: string,
    context: Record<string, unknown>,
  ): Promise<void> {
    const email =
      row.by === ComplaintBy.Complainant
        ? usable(await complainantAddress(m, this.vault, row.case_id))
        : usable((await this.uploaderAddress(m, row)) ?? null);
    const statusUrl =
      row.by === ComplaintBy.Complainant
        ? `${this.app.publicUrl}/status/${row.status_token}`
        : email
          ? `${this.app.publicUrl}/uploader/${await uploaderToken(m, this.vault, row.case_id, email)}`
          : null;
    const kase = {
      id: row.case_id,
      reference: row.reference,
      statusToken: row.status_token,
      language: row.case_language,
    };
    await this.letters.record(
      m,
      kase,
      kind,
      occasion,
      email,
      { ...context, complaint: { id: row.id, subject: row.subject, by: row.by }, ownStatusUrl: statusUrl },
      { locale: isLocale(row.language) ? row.language : this.app.defaultLocale },
    );
  }

  private async uploaderAddress(m: EntityManager, row: ComplaintRow): Promise<string | null> {
    const [link] = await m.query<{ email: string }[]>(
      `SELECT email FROM uploader_links WHERE case_id = $1 AND email_hash IS NOT DISTINCT FROM $2 LIMIT 1`,
      [row.case_id, row.email_hash],
    );
    if (!link) return null;
    const [email] = await this.vault.open(m, [link.email], { includeWithheld: true });
    return email ?? null;
  }

  private async locked(m: EntityManager, id: string): Promise<ComplaintRow> {
    const [row] = await m.query<ComplaintRow[]>(`${SELECT} WHERE k.id = $1 FOR UPDATE OF k`, [id]);
    if (!row) throw new ComplaintNotFoundError(`No complaint ${id}.`);
    return row;
  }

  private rows(where: string, params: unknown[]): Promise<ComplaintRow[]> {
    return this.dataSource.query<ComplaintRow[]>(`${SELECT} ${where}`, params);
  }

  private view(r: ComplaintRow): ComplaintView {
    return {
      id: r.id,
      reference: r.reference,
      by: r.by,
      subject: r.subject,
      status: r.status,
      receivedAt: r.received_at,
      toldAt: r.told_at,
      deadline: addMonths(new Date(r.told_at), COMPLAINT_MONTHS),
      decisionBy: r.decision_by,
      reviewedBy: r.reviewed_by,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      answer: r.answer,
      heldUntil: r.held_until,
    };
  }
}

const SELECT = `SELECT k.id, k.case_id, c.reference, c.status_token, c.language AS case_language, c.status AS case_status,
       k.by, k.subject, k.status, k.text, k.email_hash, k.subject_id, k.uploader_ids, k.told_at, k.decision_by,
       k.language, k.received_at, k.reviewed_by, k.decided_by, k.decided_at, k.answer, k.held_until
FROM complaints k JOIN cases c ON c.id = k.case_id`;

/** Staff are named by account id; the system's actors are words. */
function isStaffActor(actor: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(actor);
}

function usable(email: string | null | undefined): string | null {
  return email && email !== ERASED && email !== WITHHELD ? email : null;
}

function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

function day(date: Date): string {
  return new Date(date).toISOString().slice(0, 10);
}
