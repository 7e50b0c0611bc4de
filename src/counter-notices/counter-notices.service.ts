import type { Locale } from '../core/i18n/locales';
import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  replyText,
  counterNoticeChecklist,
  type ChecklistResult,
  type ElementName,
  type StructuredCounterNotice,
} from '../checklist';
import { audit } from '../cases/audit';
import { recordText } from '../cases/case-texts';
import { complainantAddress } from '../cases/complainant-address';
import { CounterNoticeStatus } from '../cases/counter-notice.entity';
import { problemText } from '../cases/counter-notice-problems';
import { assertCounterNoticeMove } from '../cases/counter-notice-workflow';
import { NoticeChannel } from '../cases/notice.entity';
import { insertNotice } from '../cases/notice-records';
import { openChecklists, sealChecklist } from '../cases/sealed-checklist';
import { PersonalData } from '../core/privacy/personal-data.service';
import { type RestoreWindow, restoreWindow } from '../cases/restore-window';
import {
  type AppConfig,
  appConfig,
  type CounterNoticeConfig,
  counterNoticeConfig,
  type SlaConfig,
  slaConfig,
} from '../core/config';
import { CLOCK, type Clock } from '../core/clock';
import { counterNoticeForLetter, counterNoticeLetterContext, tellBothParties } from '../letters/counter-notice-letters';
import { LetterKind } from '../letters/letter.entity';
import { type LetterCase, LettersService } from '../letters/letters.service';
import { NoticeFlag } from '../notices/notice-flags';
import { NoticeReader } from '../notices/notice-reader.service';
import { type CounterNoticeCase, findCounterNoticeCase } from './counter-notice-case';
import { extractUrls } from '../links';
import type { CreateCounterNoticeDto } from './dto/create-counter-notice.dto';

/** What a counter-notice's sender is told at once, and what its status link shows. */
export interface CounterNoticeAnswer {
  reference: string;
  caseId: string;
  counterNoticeId: string;
  statusUrl: string;
  status: CounterNoticeStatus;
  checklist: ChecklistResult['elements'];
  missing: ElementName[];
  problems: string[];
  restoreNotBefore?: string;
  restoreNotAfter?: string;
  restoreDueAt?: string;
}

/** A suit notice: the court, its docket number, and the day the action was filed (YYYY-MM-DD). */
export interface SuitNotice {
  court: string;
  docketNumber: string;
  filedOn: string;
}

/** The complaint filed in court, attached to a suit notice. */
export interface SuitDocument {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** The largest complaint a suit notice may attach. */
export const SUIT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** A counter-notice after a staff or complainant action. */
export interface CounterNoticeState {
  id: string;
  status: CounterNoticeStatus;
  restoreDueAt: string | null;
}

interface LockedCounterNotice {
  id: string;
  status: CounterNoticeStatus;
  completed_at: Date | null;
  checklist: ChecklistResult;
}

/**
 * Counter-notices (17 U.S.C. 512(g)): kept on their case whatever they lack, checked against 512(g)(3), and, once
 * complete (and reviewed, when COUNTER_NOTICE_REQUIRE_REVIEW), forwarded to the complainant with the restore date
 * that 512(g)(2)(C) sets, counted from receipt of the complete counter-notice. The counter-notifier hears either
 * way: a receipt with the dates, or what is missing or wrong.
 */
@Injectable()
export class CounterNoticesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: NoticeReader,
    private readonly letters: LettersService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(counterNoticeConfig.KEY) private readonly config: CounterNoticeConfig,
    @Inject(slaConfig.KEY) private readonly sla: SlaConfig,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly vault: PersonalData,
  ) {}

  async receive(dto: CreateCounterNoticeDto, channel: NoticeChannel): Promise<CounterNoticeAnswer> {
    const text = dto.text?.trim() ? dto.text : undefined;
    const fields: StructuredCounterNotice = {
      counterNotifier: dto.counterNotifier,
      removedUrls: dto.removedUrls,
      mistakeStatement: dto.mistakeStatement,
      consentToJurisdiction: dto.consentToJurisdiction,
      signature: dto.signature,
    };
    if (!text && !dto.removedUrls?.length && !dto.caseReference) {
      throw new UnprocessableEntityException(
        'A counter-notice needs the removed URLs (removedUrls), the case reference from our letter (caseReference), ' +
          'or a "text" field with the counter-notice as written.',
      );
    }
    // Read before the transaction: no row stays locked while a thread reads the text.
    const read = text ? await this.reader.readRecord({ text, kindHint: 'counter_notice' }) : undefined;
    // The removed URLs as listed; the text's links only when none are (an explanation may link to the uploader's
    // own site, which is not what they want restored).
    const urls = dto.removedUrls?.length ? dto.removedUrls : (read?.links.map((l) => l.url) ?? []);
    const checklist = counterNoticeChecklist(fields, read?.checklist);

    return this.dataSource.transaction(async (m) => {
      const kase = await findCounterNoticeCase(m, dto.caseReference, urls);
      if (!kase) {
        throw new UnprocessableEntityException(
          dto.caseReference
            ? `There is no case ${dto.caseReference}, and none of the URLs named was taken down here. Check the reference in our letter.`
            : 'None of the URLs named was taken down here. Give the case reference from our letter (caseReference).',
        );
      }
      await m.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [kase.id]);
      const senderEmail = dto.counterNotifier?.email?.toLowerCase() ?? null;
      const subjectId = await this.vault.subject(m, senderEmail);
      const noticeId = await insertNotice(m, this.vault, {
        caseId: kase.id,
        subjectId,
        channel,
        rawText: text ?? null,
        structured: null,
        checklist: await sealChecklist(this.vault, m, subjectId, checklist),
        linkCount: 0,
        inboundMessageId: null,
        senderEmail,
        auth: null,
        flags: [NoticeFlag.CounterNotice],
      });
      return this.record(m, { kase, noticeId, subjectId, channel, checklist, notifier: dto.counterNotifier ?? {} });
    });
  }

  /**
   * A counter-notice by email, recorded in the caller's transaction after RevisionsService kept its notice row (a
   * reply to our letter to the uploader, or to a counter-notice letter). A reply from the sender of a counter-notice
   * that still lacks elements completes that one: its text is read again with the reply's own words, and the clock
   * starts from this reply if it is now complete. Otherwise it is a counter-notice of its own. The URLs are those
   * in the message this case took down.
   */
  async receiveEmail(
    m: EntityManager,
    recorded: { caseId: string; noticeId: string },
    email: { senderEmail: string; senderName?: string },
    text: string,
  ): Promise<CounterNoticeAnswer | undefined> {
    const [kase] = await m.query<{ reference: string }[]>(`SELECT reference FROM cases WHERE id = $1`, [
      recorded.caseId,
    ]);
    const found = await findCounterNoticeCase(m, kase.reference, extractUrls(text));
    if (!found) return undefined;
    const [open] = await m.query<
      { id: string; raw_text: string | null; removed_urls: string[]; subject_id: string | null }[]
    >(
      `SELECT n.id, t.raw_text, n.removed_urls, n.subject_id FROM counter_notices n JOIN notices t ON t.id = n.notice_id
       WHERE n.case_id = $1 AND n.status = 'needs_info' AND n.notifier_email_hash = $2
       ORDER BY n.received_at DESC LIMIT 1 FOR UPDATE OF n`,
      [recorded.caseId, this.vault.hashEmail(email.senderEmail)],
    );
    const earlier = open ? await this.vault.openOne(m, open.raw_text, { includeWithheld: true }) : null;
    const whole = open ? [earlier ?? '', replyText(text)].filter((t) => t.trim()).join('\n\n') : text;
    const read = await this.reader.readRecord({ text: whole, kindHint: 'counter_notice' });
    const checklist = counterNoticeChecklist({}, read.checklist);
    const matched = [...new Set([...(open?.removed_urls ?? []), ...found.matched])];
    const at = {
      ...found,
      matched,
      problems: matched.length > 0 ? found.problems.filter((p) => p.code !== 'wrongReference') : found.problems,
    };
    const subjectId = open?.subject_id ?? (await this.vault.subject(m, email.senderEmail));
    if (open) return this.complete(m, open.id, subjectId, at, checklist);
    return this.record(m, {
      kase: at,
      noticeId: recorded.noticeId,
      subjectId,
      channel: NoticeChannel.Email,
      checklist,
      notifier: { email: email.senderEmail, name: email.senderName },
    });
  }

  /**
   * The case a fresh counter-notice by email (not a reply to our letters) belongs to: the one its subject names, or
   * the one that took down URLs it names. Undefined when it names none of ours: it is then a notice of its own.
   */
  async caseOfFreshEmail(
    m: EntityManager,
    namedReference: string | undefined,
    text: string,
  ): Promise<string | undefined> {
    const found = await findCounterNoticeCase(m, namedReference, extractUrls(text));
    if (!found) return undefined;
    return found.matched.length > 0 || found.reference === namedReference ? found.id : undefined;
  }

  /** Keeps a counter-notice row, decides where it stands, and writes to whom it concerns. */
  private async record(
    m: EntityManager,
    r: {
      kase: CounterNoticeCase;
      noticeId: string;
      /** The counter-notifier's data subject: their details are sealed with its key. */
      subjectId: string;
      channel: NoticeChannel;
      checklist: ChecklistResult;
      notifier: StructuredCounterNotice['counterNotifier'] & object;
    },
  ): Promise<CounterNoticeAnswer> {
    const { kase, checklist } = r;
    const status = this.statusOf(checklist, kase);
    const receivedAt = this.now();
    const complete = status === CounterNoticeStatus.Forwarded || status === CounterNoticeStatus.InReview;
    const window = complete ? restoreWindow(receivedAt, this.config.restoreBusinessDays, this.sla) : undefined;
    const token = randomBytes(24).toString('base64url');
    const who = r.notifier;
    const email = who.email?.toLowerCase() ?? null;
    const sealed = await this.vault.sealAll(m, r.subjectId, [who.name, email, who.phone, who.address, who.country]);
    const [row] = await m.query<{ id: string }[]>(
      `INSERT INTO counter_notices (case_id, notice_id, channel, status_token, status, notifier_name, notifier_email,
                                    notifier_phone, notifier_address, notifier_country, removed_urls, problems,
                                    checklist, received_at, completed_at, restore_not_before, restore_not_after,
                                    restore_due_at, notifier_email_hash, subject_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       RETURNING id`,
      [
        kase.id,
        r.noticeId,
        r.channel,
        token,
        status === CounterNoticeStatus.Forwarded ? CounterNoticeStatus.InReview : status,
        ...sealed,
        kase.matched,
        kase.problems.map(problemText),
        JSON.stringify(await sealChecklist(this.vault, m, r.subjectId, checklist)),
        receivedAt,
        complete ? receivedAt : null,
        window?.notBefore ?? null,
        window?.notAfter ?? null,
        window?.dueAt ?? null,
        email ? this.vault.hashEmail(email) : null,
        r.subjectId,
      ],
    );
    await audit(m, kase.id, 'sender', 'counter_notice.received', {
      counterNotice: row.id,
      channel: r.channel,
      status,
      missing: checklist.missing,
      problems: kase.problems.length,
    });
    await this.tell(m, kase, row.id, status);
    return this.answer(kase, row.id, token, status, checklist, window);
  }

  /** A reply completed (or still does not complete) a deficient counter-notice: the clock starts at this receipt. */
  private async complete(
    m: EntityManager,
    id: string,
    subjectId: string,
    kase: CounterNoticeCase,
    checklist: ChecklistResult,
  ): Promise<CounterNoticeAnswer> {
    const status = this.statusOf(checklist, kase);
    const receivedAt = this.now();
    const complete = status === CounterNoticeStatus.Forwarded || status === CounterNoticeStatus.InReview;
    const window = complete ? restoreWindow(receivedAt, this.config.restoreBusinessDays, this.sla) : undefined;
    const [row] = await m.query<{ status_token: string }[]>(
      `UPDATE counter_notices SET checklist = $2, removed_urls = $3, problems = $4, status = $5, completed_at = $6,
              restore_not_before = $7, restore_not_after = $8, restore_due_at = $9
       WHERE id = $1 RETURNING status_token`,
      [
        id,
        JSON.stringify(await sealChecklist(this.vault, m, subjectId, checklist)),
        kase.matched,
        kase.problems.map(problemText),
        status === CounterNoticeStatus.Forwarded ? CounterNoticeStatus.NeedsInfo : status,
        complete ? receivedAt : null,
        window?.notBefore ?? null,
        window?.notAfter ?? null,
        window?.dueAt ?? null,
      ],
    );
    await audit(m, kase.id, 'sender', 'counter_notice.received', {
      counterNotice: id,
      channel: NoticeChannel.Email,
      status,
      missing: checklist.missing,
      problems: kase.problems.length,
    });
    await this.tell(m, kase, id, status);
    return this.answer(kase, id, row.status_token, status, checklist, window);
  }

  /**
   * Complete with nothing wrong: forwarded at once (unless COUNTER_NOTICE_REQUIRE_REVIEW); complete with a problem:
   * staff look first; incomplete: the sender is asked for what is missing; nothing of this case's named: invalid.
   */
  private statusOf(checklist: ChecklistResult, kase: CounterNoticeCase): CounterNoticeStatus {
    if (kase.matched.length === 0) return CounterNoticeStatus.Invalid;
    if (!checklist.complete) return CounterNoticeStatus.NeedsInfo;
    if (this.config.requireReview || kase.problems.length > 0) return CounterNoticeStatus.InReview;
    return CounterNoticeStatus.Forwarded;
  }

  /** The letters a counter-notice's new status calls for. */
  private async tell(
    m: EntityManager,
    kase: CounterNoticeCase,
    id: string,
    status: CounterNoticeStatus,
  ): Promise<void> {
    const letterCase = {
      id: kase.id,
      reference: kase.reference,
      statusToken: kase.statusToken,
      language: kase.language,
    };
    if (status === CounterNoticeStatus.Forwarded) await this.forward(m, letterCase, id, 'on_receipt');
    else if (status !== CounterNoticeStatus.InReview) await this.tellWhatIsWrong(m, letterCase, id);
  }

  private answer(
    kase: CounterNoticeCase,
    id: string,
    token: string,
    status: CounterNoticeStatus,
    checklist: ChecklistResult,
    window: RestoreWindow | undefined,
  ): CounterNoticeAnswer {
    return {
      reference: kase.reference,
      caseId: kase.id,
      counterNoticeId: id,
      statusUrl: this.statusUrl(token),
      status,
      checklist: checklist.elements,
      missing: checklist.missing,
      problems: kase.problems.map(problemText),
      ...(window
        ? {
            restoreNotBefore: window.notBefore.toISOString(),
            restoreNotAfter: window.notAfter.toISOString(),
            restoreDueAt: window.dueAt.toISOString(),
          }
        : {}),
    };
  }

  /** What the counter-notifier's status link shows; never the complainant's details. */
  async byToken(token: string): Promise<Omit<CounterNoticeAnswer, 'caseId'>> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new NotFoundException('No counter-notice has this status link.');
    const [row] = await this.dataSource.query<
      {
        id: string;
        reference: string;
        status: CounterNoticeStatus;
        checklist: ChecklistResult;
        problems: string[];
        restore_not_before: Date | null;
        restore_not_after: Date | null;
        restore_due_at: Date | null;
      }[]
    >(
      `SELECT n.id, c.reference, n.status, n.checklist, n.problems, n.restore_not_before, n.restore_not_after,
              n.restore_due_at
       FROM counter_notices n JOIN cases c ON c.id = n.case_id WHERE n.status_token = $1`,
      [token],
    );
    if (!row) throw new NotFoundException('No counter-notice has this status link.');
    const [checklist] = await openChecklists(this.vault, this.dataSource.manager, [row.checklist]);
    return {
      reference: row.reference,
      counterNoticeId: row.id,
      statusUrl: this.statusUrl(token),
      status: row.status,
      checklist: checklist.elements,
      missing: checklist.missing,
      problems: row.problems,
      ...(row.restore_due_at
        ? {
            restoreNotBefore: row.restore_not_before?.toISOString(),
            restoreNotAfter: row.restore_not_after?.toISOString(),
            restoreDueAt: row.restore_due_at.toISOString(),
          }
        : {}),
    };
  }

  /** Staff forward a counter-notice they reviewed: the copy to the complainant and the receipt go out now. */
  forwardReviewed(reference: string, id: string, staffId: string): Promise<CounterNoticeState> {
    return this.withCounterNotice(reference, id, async (m, kase, row) => {
      if (!row.completed_at) {
        throw new UnprocessableEntityException(
          `Counter-notice ${id} is not complete (missing: ${row.checklist.missing.join(', ')}): it cannot be forwarded.`,
        );
      }
      assertCounterNoticeMove(row.status, CounterNoticeStatus.Forwarded);
      await this.forward(m, kase, id, 'staff', staffId);
      return this.stateOf(m, id);
    });
  }

  /**
   * A suit notice (512(g)(2)(C)): the complainant filed an action seeking a court order. The restoration stops, a
   * legal hold is put on the case (a record with its reason), and both parties are told. From staff, or from the
   * complainant's own status page (`bySender`).
   */
  recordSuit(
    reference: string,
    id: string | undefined,
    suit: SuitNotice,
    actor: { staffId: string } | 'complainant',
    document?: SuitDocument,
  ): Promise<CounterNoticeState> {
    return this.withCounterNotice(reference, id, async (m, kase, row) => {
      assertCounterNoticeMove(row.status, CounterNoticeStatus.SuitFiled);
      const by = actor === 'complainant' ? 'sender' : actor.staffId;
      const [hold] = await m.query<{ id: string }[]>(
        `INSERT INTO legal_holds (case_id, kind, reason, counter_notice_id, set_by, document_name, document_type,
                                  document_sha256, document)
         VALUES ($1, 'suit', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          kase.id,
          `Suit filed in ${suit.court}, docket ${suit.docketNumber}, on ${suit.filedOn}`,
          row.id,
          by,
          document?.filename ?? null,
          document?.contentType ?? null,
          document ? createHash('sha256').update(document.content).digest('hex') : null,
          document?.content ?? null,
        ],
      );
      await m.query(
        `UPDATE counter_notices SET status = 'suit_filed', suit_court = $2, suit_docket_number = $3, suit_filed_on = $4
         WHERE id = $1`,
        [row.id, suit.court, suit.docketNumber, suit.filedOn],
      );
      await audit(m, kase.id, by, 'counter_notice.suit_recorded', {
        counterNotice: row.id,
        hold: hold.id,
        filedOn: suit.filedOn,
        by: actor === 'complainant' ? 'complainant' : 'staff',
        ...(document ? { documentSha256: createHash('sha256').update(document.content).digest('hex') } : {}),
      });
      await tellBothParties(m, this.letters, this.vault, kase, LetterKind.CounterNoticeSuit, row.id, 'suit', { suit });
      return this.stateOf(m, row.id);
    });
  }

  /** The complainant's suit notice, through their status link: the link names the case. */
  async recordSuitBySender(token: string, suit: SuitNotice, document?: SuitDocument): Promise<CounterNoticeState> {
    const [kase] = await this.dataSource.query<{ reference: string }[]>(
      `SELECT reference FROM cases WHERE status_token = $1`,
      [token],
    );
    if (!kase) throw new NotFoundException('No case has this status link.');
    return this.recordSuit(kase.reference, undefined, suit, 'complainant', document);
  }

  /** Staff withdraw a counter-notice at its sender's request: nothing will be restored for it. */
  withdraw(reference: string, id: string, reason: string, staffId: string): Promise<CounterNoticeState> {
    return this.withCounterNotice(reference, id, async (m, kase, row) => {
      assertCounterNoticeMove(row.status, CounterNoticeStatus.Withdrawn);
      await m.query(`UPDATE counter_notices SET status = 'withdrawn' WHERE id = $1`, [row.id]);
      await audit(m, kase.id, staffId, 'counter_notice.withdrawn', {
        counterNotice: row.id,
        reasonText: await recordText(m, kase.id, staffId, 'withdrawal_reason', reason),
      });
      await tellBothParties(m, this.letters, this.vault, kase, LetterKind.CounterNoticeWithdrawn, row.id, 'withdrawn');
      return this.stateOf(m, row.id);
    });
  }

  /**
   * Runs `work` on a counter-notice of the case, both locked: the one given, or else the case's latest that is still
   * open (not restored, withdrawn or invalid).
   */
  private withCounterNotice<T>(
    reference: string,
    id: string | undefined,
    work: (m: EntityManager, kase: LetterCase, row: LockedCounterNotice) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<{ id: string; reference: string; status_token: string; language: Locale }[]>(
        `SELECT id, reference, status_token, language FROM cases WHERE reference = $1 FOR UPDATE`,
        [reference],
      );
      if (!kase) throw new NotFoundException(`No case ${reference}.`);
      const [row] = await m.query<LockedCounterNotice[]>(
        `SELECT id, status, completed_at, checklist FROM counter_notices
         WHERE case_id = $1 AND ($2::uuid IS NULL OR id = $2)
           AND ($2::uuid IS NOT NULL OR status IN ('needs_info', 'in_review', 'forwarded'))
         ORDER BY received_at DESC, id DESC LIMIT 1 FOR UPDATE`,
        [kase.id, id ?? null],
      );
      if (!row) {
        throw new NotFoundException(
          id ? `Case ${reference} has no counter-notice ${id}.` : `Case ${reference} has no open counter-notice.`,
        );
      }
      return work(
        m,
        { id: kase.id, reference: kase.reference, statusToken: kase.status_token, language: kase.language },
        row,
      );
    });
  }

  private async stateOf(m: EntityManager, id: string): Promise<CounterNoticeState> {
    const [row] = await m.query<{ id: string; status: CounterNoticeStatus; restore_due_at: Date | null }[]>(
      `SELECT id, status, restore_due_at FROM counter_notices WHERE id = $1`,
      [id],
    );
    return { id: row.id, status: row.status, restoreDueAt: row.restore_due_at?.toISOString() ?? null };
  }

  /**
   * 512(g)(2)(B): a copy of the counter-notice to the complainant, with the restore date, and a receipt to the
   * counter-notifier saying that their details went with it, with the dates and the 512(f) warning.
   */
  private async forward(
    m: EntityManager,
    kase: LetterCase,
    id: string,
    by: 'on_receipt' | 'staff',
    actor = 'system',
  ): Promise<void> {
    const counter = await counterNoticeForLetter(m, this.vault, kase.id, id);
    if (!counter?.restoreDueAt || !counter.restoreNotBefore || !counter.restoreNotAfter) return;
    await m.query(`UPDATE counter_notices SET forwarded_at = now(), status = 'forwarded' WHERE id = $1`, [id]);
    await audit(m, kase.id, actor, 'counter_notice.forwarded', {
      counterNotice: id,
      restoreNotBefore: new Date(counter.restoreNotBefore).toISOString(),
      restoreNotAfter: new Date(counter.restoreNotAfter).toISOString(),
      restoreDueAt: new Date(counter.restoreDueAt).toISOString(),
      by,
    });
    const context = counterNoticeLetterContext(counter);
    await this.letters.record(
      m,
      kase,
      LetterKind.CounterNoticeForward,
      `counter-notice:${id}`,
      await complainantAddress(m, this.vault, kase.id),
      context,
    );
    await this.letters.record(
      m,
      kase,
      LetterKind.CounterNoticeReceipt,
      `counter-notice:${id}`,
      counter.notifier.email,
      {
        ...context,
        counterNoticeStatusUrl: this.statusUrl(await this.tokenOf(m, id)),
      },
    );
  }

  /** The deficiency letter: each missing element, and what else is wrong. */
  private async tellWhatIsWrong(m: EntityManager, kase: LetterCase, id: string): Promise<void> {
    const counter = await counterNoticeForLetter(m, this.vault, kase.id, id);
    if (!counter) return;
    await this.letters.record(
      m,
      kase,
      LetterKind.CounterNoticeDeficiency,
      `counter-notice:${id}`,
      counter.notifier.email,
      {
        ...counterNoticeLetterContext(counter),
        counterNoticeStatusUrl: this.statusUrl(await this.tokenOf(m, id)),
      },
    );
  }

  private async tokenOf(m: EntityManager, id: string): Promise<string> {
    const [row] = await m.query<{ status_token: string }[]>(`SELECT status_token FROM counter_notices WHERE id = $1`, [
      id,
    ]);
    return row.status_token;
  }

  private statusUrl(token: string): string {
    return `${this.app.publicUrl}/counter-notices/status/${token}`;
  }
}
