import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  counterNoticeChecklist,
  type ChecklistResult,
  type ElementName,
  type StructuredCounterNotice,
} from '../checklist';
import { audit } from '../cases/audit';
import { complainantAddress } from '../cases/complainant-address';
import { CounterNoticeStatus } from '../cases/counter-notice.entity';
import { NoticeChannel } from '../cases/notice.entity';
import { insertNotice } from '../cases/notice-records';
import { restoreWindow } from '../cases/restore-window';
import {
  type AppConfig,
  appConfig,
  type CounterNoticeConfig,
  counterNoticeConfig,
  type SlaConfig,
  slaConfig,
} from '../core/config';
import { counterNoticeForLetter, counterNoticeLetterContext } from '../letters/counter-notice-letters';
import { LetterKind } from '../letters/letter.entity';
import { type LetterCase, LettersService } from '../letters/letters.service';
import { NoticeFlag } from '../notices/notice-flags';
import { NoticeReader } from '../notices/notice-reader.service';
import { findCounterNoticeCase } from './counter-notice-case';
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

/** A clock to inject in tests: the 512(g) dates count from it. */
export const COUNTER_NOTICE_CLOCK = Symbol('COUNTER_NOTICE_CLOCK');
export type Clock = () => Date;

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
    @Inject(COUNTER_NOTICE_CLOCK) private readonly now: Clock,
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
    const urls = [...(dto.removedUrls ?? []), ...(read?.links.map((l) => l.url) ?? [])];
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
      const complete = checklist.complete && kase.matched.length > 0;
      const status = !complete
        ? kase.matched.length === 0
          ? CounterNoticeStatus.Invalid
          : CounterNoticeStatus.NeedsInfo
        : this.config.requireReview || kase.problems.length > 0
          ? CounterNoticeStatus.InReview
          : CounterNoticeStatus.Forwarded;
      const receivedAt = this.now();
      const noticeId = await insertNotice(m, {
        caseId: kase.id,
        channel,
        rawText: text ?? null,
        structured: null,
        checklist,
        linkCount: 0,
        inboundMessageId: null,
        senderEmail: dto.counterNotifier?.email?.toLowerCase() ?? null,
        auth: null,
        flags: [NoticeFlag.CounterNotice],
      });
      const token = randomBytes(24).toString('base64url');
      const window = complete ? restoreWindow(receivedAt, this.config.restoreBusinessDays, this.sla) : undefined;
      const who = dto.counterNotifier ?? {};
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO counter_notices (case_id, notice_id, channel, status_token, status, notifier_name, notifier_email,
                                      notifier_phone, notifier_address, notifier_country, removed_urls, problems,
                                      checklist, received_at, completed_at, restore_not_before, restore_not_after,
                                      restore_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
        [
          kase.id,
          noticeId,
          channel,
          token,
          status,
          who.name ?? null,
          who.email?.toLowerCase() ?? null,
          who.phone ?? null,
          who.address ?? null,
          who.country ?? null,
          kase.matched,
          kase.problems,
          JSON.stringify(checklist),
          receivedAt,
          complete ? receivedAt : null,
          window?.notBefore ?? null,
          window?.notAfter ?? null,
          window?.dueAt ?? null,
        ],
      );
      await audit(m, kase.id, 'sender', 'counter_notice.received', {
        counterNotice: row.id,
        channel,
        status,
        missing: checklist.missing,
        problems: kase.problems.length,
      });
      const letterCase = { id: kase.id, reference: kase.reference, statusToken: kase.statusToken };
      if (status === CounterNoticeStatus.Forwarded) await this.forward(m, letterCase, row.id, 'on_receipt');
      else if (status !== CounterNoticeStatus.InReview) await this.tellWhatIsWrong(m, letterCase, row.id);
      return {
        reference: kase.reference,
        caseId: kase.id,
        counterNoticeId: row.id,
        statusUrl: this.statusUrl(token),
        status,
        checklist: checklist.elements,
        missing: checklist.missing,
        problems: kase.problems,
        ...(window
          ? {
              restoreNotBefore: window.notBefore.toISOString(),
              restoreNotAfter: window.notAfter.toISOString(),
              restoreDueAt: window.dueAt.toISOString(),
            }
          : {}),
      };
    });
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
    return {
      reference: row.reference,
      counterNoticeId: row.id,
      statusUrl: this.statusUrl(token),
      status: row.status,
      checklist: row.checklist.elements,
      missing: row.checklist.missing,
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

  /**
   * 512(g)(2)(B): a copy of the counter-notice to the complainant, with the restore date, and a receipt to the
   * counter-notifier saying that their details went with it, with the dates and the 512(f) warning.
   */
  private async forward(m: EntityManager, kase: LetterCase, id: string, by: 'on_receipt' | 'staff'): Promise<void> {
    const counter = await counterNoticeForLetter(m, kase.id, id);
    if (!counter?.restoreDueAt || !counter.restoreNotBefore || !counter.restoreNotAfter) return;
    await m.query(`UPDATE counter_notices SET forwarded_at = now(), status = 'forwarded' WHERE id = $1`, [id]);
    await audit(m, kase.id, 'system', 'counter_notice.forwarded', {
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
      await complainantAddress(m, kase.id),
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
    const counter = await counterNoticeForLetter(m, kase.id, id);
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
