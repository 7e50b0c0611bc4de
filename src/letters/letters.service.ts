import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type AuditEntry, auditMany } from '../cases/audit';
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
import { holdsUntil, recipientKey } from './recipient-cap';
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

/** One letter of recordMany's batch: record()'s arguments after the case. */
export interface LetterToRecord {
  kind: LetterKind;
  /** With the case and kind, what makes the letter once only (its dedupe key). */
  occasion: string;
  given: string | null;
  context: object;
  options?: LetterOptions;
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
    const [id] = await this.recordMany(manager, kase, [{ kind, occasion, given, context, options }]);
    return id;
  }

  /**
   * record() for several letters of one case, in their order, with a few statements for the whole batch rather than
   * several for each letter (a sweep's round writes one to the complainant and one to each uploader). Each letter is
   * recorded, threaded, sealed, counted against the cap and audited exactly as record() would one after another.
   * Returns each letter's id, undefined for one whose dedupe key was already recorded (or came earlier in the batch).
   */
  async recordMany(
    manager: EntityManager,
    kase: LetterCase,
    letters: readonly LetterToRecord[],
  ): Promise<(string | undefined)[]> {
    if (letters.length === 0) return [];
    const planned = letters.map(({ kind, occasion, given, context, options = {} }) => {
      const { locale, ...reply } = options;
      // Addresses come from senders and from the catalog: one that is not a single valid address (a list, a header
      // fragment) is not sent to at all, and the letter is failed for staff with the reason.
      const recipient = given && isValidEmail(given.trim()) ? given.trim() : null;
      const id = randomUUID();
      return {
        id,
        kind,
        given,
        context,
        locale,
        recipient,
        reply,
        dedupeKey: `${kase.id}:${kind}:${occasion}`,
        messageId: letterMessageId(id, this.mail.from),
        mailbox: recipient ? this.vault.hashEmail(recipientKey(recipient)) : null,
      };
    });
    const mailboxes = [...new Set(planned.flatMap((l) => (l.mailbox ? [l.mailbox] : [])))];
    // A thread per correspondent: the complainant's letters thread together, the uploader's apart from them. The
    // same look-up finds the letters already recorded, which are not recorded again.
    const found = await manager.query<
      { dedupe_key: string; recipient_key: string | null; message_id: string | null }[]
    >(
      `SELECT dedupe_key, recipient_key, message_id FROM letters
       WHERE (case_id = $1 AND recipient_key = ANY($2::text[]) AND message_id IS NOT NULL) OR dedupe_key = ANY($3::text[])
       ORDER BY created_at, id`,
      [kase.id, mailboxes, planned.map((l) => l.dedupeKey)],
    );
    const taken = new Set(found.map((r) => r.dedupe_key));
    const earlierOf = new Map<string, string[]>(mailboxes.map((m) => [m, []]));
    for (const r of found) if (r.message_id && r.recipient_key) earlierOf.get(r.recipient_key)?.push(r.message_id);
    const fresh: typeof planned = [];
    for (const l of planned) {
      if (taken.has(l.dedupeKey)) continue;
      taken.add(l.dedupeKey);
      fresh.push(l);
    }
    if (fresh.length === 0) return letters.map(() => undefined);
    const subjectIds = await this.vault.subjects(
      manager,
      fresh.map((l) => l.recipient),
    );
    const rows = fresh.map((l, i) => {
      const earlier = l.mailbox ? earlierOf.get(l.mailbox)! : [];
      const thread = threadFor([...earlier], l.reply);
      if (l.mailbox) earlier.push(l.messageId);
      // A receipt to an address the cap may hold carries the link its owner follows to show the mailbox is theirs.
      const confirm =
        l.recipient && l.kind === LetterKind.Receipt && this.letters.capPerRecipient > 0
          ? { confirmUrl: `${this.app.publicUrl}/letters/confirm/${confirmationToken(this.app.secret, l.recipient)}` }
          : {};
      const rendered = this.render(kase, l.kind, { ...l.context, ...confirm }, l.locale);
      return { ...l, thread, rendered, subjectId: subjectIds[i] };
    });
    const sealed = await this.vault.sealMany(
      manager,
      rows.map((l) => ({
        subjectId: l.subjectId,
        values: [l.recipient, l.rendered.subject, l.rendered.text, l.rendered.html],
      })),
    );
    // clock_timestamp(), not now(), and a microsecond apart: letters recorded in one transaction keep their order in
    // the thread.
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO letters (id, case_id, kind, dedupe_key, recipient, recipient_key, subject, text, html, message_id,
                            in_reply_to, "references", status, last_error, subject_id, created_at)
       SELECT l.id, $1, l.kind, l.dedupe_key, l.recipient, l.recipient_key, l.subject, l.text, l.html, l.message_id,
              l.in_reply_to, ARRAY(SELECT r FROM jsonb_array_elements_text(l.refs) WITH ORDINALITY AS e(r, k) ORDER BY k), l.status, l.last_error, l.subject_id,
              clock_timestamp() + make_interval(secs => (l.n - 1) / 1e6)
       FROM unnest($2::uuid[], $3::letter_kind[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::jsonb[], $13::letter_status[], $14::text[], $15::uuid[])
         WITH ORDINALITY AS l(id, kind, dedupe_key, recipient, recipient_key, subject, text, html, message_id,
                              in_reply_to, refs, status, last_error, subject_id, n)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        kase.id,
        rows.map((l) => l.id),
        rows.map((l) => l.kind),
        rows.map((l) => l.dedupeKey),
        sealed.map((v) => v[0]),
        rows.map((l) => l.mailbox),
        sealed.map((v) => v[1]),
        sealed.map((v) => v[2]),
        sealed.map((v) => v[3]),
        rows.map((l) => l.messageId),
        rows.map((l) => l.thread.inReplyTo),
        rows.map((l) => JSON.stringify(l.thread.references)),
        rows.map((l) => (l.recipient ? LetterStatus.Queued : LetterStatus.Failed)),
        // The address as given is personal data, and no good one: the error names the problem, not the address.
        rows.map((l) => (l.recipient ? null : l.given ? INVALID_RECIPIENT : NO_RECIPIENT)),
        rows.map((l) => l.subjectId),
      ],
    );
    const ids = new Set(inserted.map((r) => r.id));
    const recorded = rows.filter((l) => ids.has(l.id));
    if (recorded.length < rows.length) await this.rethread(manager, kase, rows, ids);
    const sendable = recorded.filter((l) => l.recipient);
    const holds = await holdsUntil(
      manager,
      this.letters,
      this.app.secret,
      kase.id,
      sendable.map((l) => ({ recipient: l.recipient!, emailHash: this.vault.hashEmail(l.recipient!) })),
    );
    const heldUntil = new Map(sendable.map((l, i) => [l.id, holds[i]]));
    const held = sendable.filter((l) => heldUntil.get(l.id));
    if (held.length > 0) {
      await manager.query(
        `UPDATE letters l SET held_until = h.until FROM unnest($1::uuid[], $2::timestamptz[]) AS h(id, until)
         WHERE l.id = h.id`,
        [held.map((l) => l.id), held.map((l) => heldUntil.get(l.id))],
      );
    }
    await auditMany(
      manager,
      recorded.flatMap((l): AuditEntry[] => {
        const until = heldUntil.get(l.id);
        return [
          {
            caseId: kase.id,
            actor: 'system',
            action: 'letter.recorded',
            detail: {
              letter: l.id,
              kind: l.kind,
              ...(l.recipient ? {} : { unsendable: l.given ? 'invalid recipient' : 'no recipient' }),
            },
          },
          ...(until
            ? [
                {
                  caseId: kase.id,
                  actor: 'system',
                  action: 'letter.held' as const,
                  detail: {
                    letter: l.id,
                    kind: l.kind,
                    until: until.toISOString(),
                    cap: this.letters.capPerRecipient,
                    windowMinutes: this.letters.capWindowMinutes,
                  },
                },
              ]
            : []),
        ];
      }),
    );
    // A held letter's job is enqueued all the same: the sender finds it held and waits until then.
    await this.outbox.enqueue(
      manager,
      sendable.map((l) => ({ queue: QueueName.Mail, name: JobName.SendLetter, data: { letterId: l.id } })),
    );
    return letters.map((_, i) => (ids.has(planned[i].id) ? planned[i].id : undefined));
  }

  /**
   * A letter of the batch that another transaction recorded first (its dedupe key came in meanwhile) is not ours:
   * the batch's later letters to its mailbox are threaded again without it, as record() one after another would.
   */
  private async rethread(
    manager: EntityManager,
    kase: LetterCase,
    rows: readonly { id: string; mailbox: string | null; messageId: string; reply: LetterReply }[],
    recorded: ReadonlySet<string>,
  ): Promise<void> {
    const lost = new Set(rows.filter((l) => !recorded.has(l.id) && l.mailbox).map((l) => l.mailbox!));
    const again = rows.filter((l) => recorded.has(l.id) && l.mailbox && lost.has(l.mailbox));
    if (again.length === 0) return;
    const others = await manager.query<{ recipient_key: string; message_id: string }[]>(
      `SELECT recipient_key, message_id FROM letters
       WHERE case_id = $1 AND recipient_key = ANY($2::text[]) AND message_id IS NOT NULL AND NOT id = ANY($3::uuid[])
       ORDER BY created_at, id`,
      [kase.id, [...lost], [...recorded]],
    );
    const earlierOf = new Map<string, string[]>([...lost].map((m) => [m, []]));
    for (const r of others) earlierOf.get(r.recipient_key)!.push(r.message_id);
    const threads = again.map((l) => {
      const earlier = earlierOf.get(l.mailbox!)!;
      const thread = threadFor([...earlier], l.reply);
      earlier.push(l.messageId);
      return thread;
    });
    await manager.query(
      `UPDATE letters l SET in_reply_to = t.in_reply_to, "references" = ARRAY(SELECT r FROM jsonb_array_elements_text(t.refs) WITH ORDINALITY AS e(r, k) ORDER BY k)
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS t(id, in_reply_to, refs) WHERE l.id = t.id`,
      [again.map((l) => l.id), threads.map((t) => t.inReplyTo), threads.map((t) => JSON.stringify(t.references))],
    );
  }
}
