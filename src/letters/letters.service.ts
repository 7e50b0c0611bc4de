import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { audit } from '../cases/audit';
import { isValidEmail } from '../checklist';
import { EntityManager } from 'typeorm';
import {
  type AppConfig,
  appConfig,
  type LettersConfig,
  lettersConfig,
  type MailConfig,
  mailConfig,
} from '../core/config';
import type { Locale } from '../core/i18n/locales';
import { JobName, QueueName } from '../core/queue/jobs';
import { PersonalData } from '../core/privacy/personal-data.service';
import { OutboxService } from '../core/queue/outbox.service';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { LetterKind, LetterStatus } from './letter.entity';
import { holdUntil, recipientKey } from './recipient-cap';
import { confirmationToken } from './recipient-confirmation';
import { letterMessageId, threadFor } from './threading';

/**
 * Letters that go, or may go, to someone other than the complainant (the uploader's side, a provider): they never
 * carry the complainant's status link.
 */
const TO_THE_UPLOADER: ReadonlySet<LetterKind> = new Set([
  LetterKind.Uploader,
  LetterKind.UploaderTerminated,
  LetterKind.UploaderReinstated,
  // Either party's: the letter carries the complainer's own status link, never the complainant's to an uploader.
  LetterKind.ComplaintReceived,
  LetterKind.ComplaintDecided,
  LetterKind.CounterNoticeReceipt,
  LetterKind.CounterNoticeDeficiency,
  LetterKind.CounterNoticeRestored,
  LetterKind.CounterNoticeSuit,
  LetterKind.CounterNoticeWithdrawn,
  LetterKind.ReferralRetracted,
  LetterKind.RetractionRestored,
]);

export interface LetterCase {
  id: string;
  reference: string;
  statusToken: string;
  /** The case's language, which its complainant's letters are written in; DEFAULT_LOCALE without it. */
  language?: Locale;
}

export interface RenderedLetter {
  subject: string;
  text: string;
  html: string;
}

/** Threading for a letter that answers someone's email: their Message-ID and the References it carried. */
export interface LetterReply {
  inReplyTo?: string;
  references?: string[];
}

/**
 * A letter's threading, and the language it is written in when the kind alone does not say who reads it (a
 * counter-notice letter goes to both sides): by default the complainant's letters are in the case's language and
 * the uploader's side's in DEFAULT_LOCALE.
 */
export interface LetterOptions extends LetterReply {
  locale?: Locale;
}

/** Recorded for a letter with nobody to send it to: it is kept for staff, and never sent. */
export const NO_RECIPIENT = 'No recipient address: the letter cannot be sent';
export const INVALID_RECIPIENT = 'The recipient address is not a single valid address: the letter cannot be sent';

/**
 * Renders a letter from templates/mail and records it once per dedupe key, with its Message-ID, its place in
 * the case's thread and, in the same transaction, its send job in the outbox. Sending is the mail worker's job.
 * A letter beyond the recipient's cap (recipient-cap.ts) is recorded held, with the time it may go. The letter as
 * recorded (address, subject, text, html) is sealed under its recipient's data subject; its recipient_key is the
 * keyed hash of the mailbox.
 */
@Injectable()
export class LettersService {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly outbox: OutboxService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
    @Inject(lettersConfig.KEY) private readonly letters: LettersConfig,
    private readonly vault: PersonalData,
  ) {}

  /** The letter as the pipeline renders it: `context` is what the letter adds to the site, agent and case. */
  render(kase: LetterCase, kind: LetterKind, context: object, locale?: Locale): RenderedLetter {
    return this.templates.letter(kind, {
      locale: locale ?? this.localeFor(kase, kind),
      site: { name: this.app.siteName, url: this.app.publicUrl },
      agent: this.app.agent,
      case: {
        reference: kase.reference,
        // The status link is the complainant's private link; the uploader is not given it.
        statusUrl: TO_THE_UPLOADER.has(kind) ? undefined : `${this.app.publicUrl}/status/${kase.statusToken}`,
      },
      ...context,
    });
  }

  /** The language a letter of this kind is written in by default: see LetterOptions. */
  localeFor(kase: LetterCase, kind: LetterKind): Locale {
    return TO_THE_UPLOADER.has(kind) ? this.app.defaultLocale : (kase.language ?? this.app.defaultLocale);
  }

  /** Returns the letter's id, or undefined when a letter with this dedupe key was already recorded. */
  async record(
    manager: EntityManager,
    kase: LetterCase,
    kind: LetterKind,
    occasion: string,
    given: string | null,
    context: object,
    options: LetterOptions = {},
  ): Promise<string | undefined> {
    const { locale, ...reply } = options;
    // Addresses come from senders and from the catalog: one that is not a single valid address (a list, a header
    // fragment) is not sent to at all, and the letter is failed for staff with the reason.
    const recipient = given && isValidEmail(given.trim()) ? given.trim() : null;
    // A receipt to an address the cap may hold carries the link its owner follows to show the mailbox is theirs.
    const confirm =
      recipient && kind === LetterKind.Receipt && this.letters.capPerRecipient > 0
        ? { confirmUrl: `${this.app.publicUrl}/letters/confirm/${confirmationToken(this.app.secret, recipient)}` }
        : {};
    const rendered = this.render(kase, kind, { ...context, ...confirm }, locale);
    const id = randomUUID();
    const mailbox = recipient ? this.vault.hashEmail(recipientKey(recipient)) : null;
    // A thread per correspondent: the complainant's letters thread together, the uploader's apart from them.
    const earlier = mailbox
      ? await manager.query<{ message_id: string }[]>(
          `SELECT message_id FROM letters
           WHERE case_id = $1 AND recipient_key = $2 AND message_id IS NOT NULL ORDER BY created_at, id`,
          [kase.id, mailbox],
        )
      : [];
    const subjectId = await this.vault.subject(manager, recipient);
    const sealed = await this.vault.sealAll(manager, subjectId, [
      recipient,
      rendered.subject,
      rendered.text,
      rendered.html,
    ]);
    const thread = threadFor(
      earlier.map((r) => r.message_id),
      reply,
    );
    // clock_timestamp(), not now(): letters recorded in one transaction keep their order in the thread.
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO letters (id, case_id, kind, dedupe_key, recipient, recipient_key, subject, text, html, message_id,
                            in_reply_to, "references", status, last_error, subject_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, clock_timestamp())
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        id,
        kase.id,
        kind,
        `${kase.id}:${kind}:${occasion}`,
        ...sealed.slice(0, 1),
        mailbox,
        ...sealed.slice(1),
        letterMessageId(id, this.mail.from),
        thread.inReplyTo,
        thread.references,
        recipient ? LetterStatus.Queued : LetterStatus.Failed,
        // The address as given is personal data, and no good one: the error names the problem, not the address.
        recipient ? null : given ? INVALID_RECIPIENT : NO_RECIPIENT,
        subjectId,
      ],
    );
    if (rows.length === 0) return undefined;
    await audit(manager, kase.id, 'system', 'letter.recorded', {
      letter: id,
      kind,
      ...(recipient ? {} : { unsendable: given ? 'invalid recipient' : 'no recipient' }),
    });
    const held = recipient
      ? await holdUntil(manager, this.letters, this.app.secret, kase.id, recipient, this.vault.hashEmail(recipient))
      : undefined;
    if (held) {
      await manager.query(`UPDATE letters SET held_until = $2 WHERE id = $1`, [id, held]);
      await audit(manager, kase.id, 'system', 'letter.held', {
        letter: id,
        kind,
        until: held.toISOString(),
        cap: this.letters.capPerRecipient,
        windowMinutes: this.letters.capWindowMinutes,
      });
    }
    // A held letter's job is enqueued all the same: the sender finds it held and waits until then.
    if (recipient) {
      await this.outbox.enqueue(manager, [{ queue: QueueName.Mail, name: JobName.SendLetter, data: { letterId: id } }]);
    }
    return id;
  }
}
