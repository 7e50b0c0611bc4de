import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type AppConfig,
  appConfig,
  type LettersConfig,
  lettersConfig,
  type MailConfig,
  mailConfig,
} from '../core/config';
import { eventFields, LogEvent } from '../core/logging/log-event';
import { MailTransport, type OutgoingMail } from '../core/mail/mail-transport';
import { classifySmtpFailure, describeSmtpFailure, isRelayUnreachable } from '../core/mail/smtp-failure';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { systemText } from '../cases/audit';
import { LetterStatus } from './letter.entity';
import { NO_RECIPIENT } from './letters.service';
import { caseWithheld } from '../cases/withheld-cases';
import {
  ERASED,
  PersonalData,
  type SubjectKeyColumns,
  subjectKeyColumns,
  subjectKeyOf,
  WITHHELD,
} from '../core/privacy/personal-data.service';
import { redactPersonalData } from '../core/privacy/redact';

/** Failed for a letter whose recipient was erased at their request before it went. */
export const RECIPIENT_ERASED = 'The recipient was erased at their request before the letter went';
import { letterMessageId } from './threading';

/** A claimed letter, with the key of its subject as the claiming statement read it (subjectKeyColumns). */
interface LetterRow extends SubjectKeyColumns {
  id: string;
  case_id: string;
  reference: string;
  created_at: Date;
  recipient: string | null;
  subject: string;
  text: string;
  html: string;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  /** claimed_until as Postgres wrote it, to the microsecond: the token that proves the letter is still ours. */
  lease: string;
  /** An earlier try began sending and recorded no outcome: this send may be the letter's second copy. */
  unconfirmed: boolean;
  /** Someone in the letter's case is withheld (withheldCases) as the claim read it. */
  case_withheld: boolean;
}

/** First key of the advisory lock that makes one release of a recipient's held letters at a time. */
const RELEASE_LOCK = 0x1e77e5;

/**
 * The most letters one digest carries. A flood to one mailbox goes out in several digests, each led by one of its
 * letters' jobs, rather than in one mail so large that a relay refuses it (552) and fails every letter in it.
 */
export const DIGEST_MAX_LETTERS = 50;

/** How many earlier Message-IDs a digest names in References, as threadFor trims a case's chain. */
const DIGEST_REFERENCES = 20;

/**
 * The columns a sender needs, from `claimed` (an UPDATE ... RETURNING) joined to the case; whether the case is
 * withheld, and the key of the subject the letter is sealed under, as this same statement reads them (so that
 * opening it needs no look-ups of its own).
 */
const CLAIMED_LETTER = `SELECT l.id, l.case_id, c.reference, l.created_at, l.recipient, l.subject, l.text, l.html, l.message_id,
         l.in_reply_to, l."references", l.claimed_until::text AS lease, l.sending_since IS NOT NULL AS unconfirmed,
         ${caseWithheld('l.case_id')} AS case_withheld, ${subjectKeyColumns('d')}
       FROM claimed l JOIN cases c ON c.id = l.case_id LEFT JOIN data_subjects d ON d.id = l.subject_id`;
const CLAIM_RETURNING = `RETURNING l.id, l.case_id, l.created_at, l.recipient, l.subject, l.text, l.html, l.message_id,
         l.in_reply_to, l."references", l.claimed_until, l.sending_since, l.subject_id`;

export type SendResult =
  | { outcome: 'sent'; messageId: string }
  /** Nothing to do: the letter was already sent or failed, or is gone. */
  | { outcome: 'skipped'; status: LetterStatus | 'missing' }
  /** Just marked failed: a permanent refusal, or the last try of a temporary one. */
  | { outcome: 'failed'; reason: string }
  /** A temporary failure, recorded; the letter stays queued for the next try. */
  | { outcome: 'retry'; reason: string }
  /** Another worker is sending it right now. */
  | { outcome: 'busy' }
  /**
   * The relay could not be reached (refused connection, DNS, no greeting, 421): nothing is wrong with the letter,
   * which stays queued and waits for the relay without spending its retries. `tries`: its tries so far.
   */
  | { outcome: 'relay-down'; reason: string; tries: number }
  /** Held by the per-recipient cap: nothing is sent before `until`. */
  | { outcome: 'held'; until: Date };

/**
 * Sends one recorded letter, once. The letter is claimed with a lease (claimed_until) in one short statement; the
 * SMTP conversation runs outside any transaction, so a slow relay holds no pool connection and no row lock; the
 * outcome is recorded in a short statement of its own, and only while claimed_until still holds the lease this
 * call set. A second sender given the same letter meanwhile finds it claimed and answers busy (its job tries
 * again later); a worker that dies mid-send leaves the lease to run out (LETTER_LEASE_SECONDS), then a retry
 * takes the letter up.
 *
 * Each try is recorded before the SMTP conversation begins (attempts, sending_since) and its outcome after it.
 * What remains is at-least-once. If the server accepts the message (250 after DATA) and the worker dies or loses
 * Postgres before it records the letter sent, the letter is still queued and, once the lease has run out, the
 * retry sends it again, counted in `resends` and logged: a try whose sending_since was never cleared. Likewise, should a send ever outlast its lease (the lease is set well above the
 * transport's timeouts so that it does not), another worker may send the letter too, and the late sender records
 * nothing. Either copy carries the same Message-ID (fixed when the letter was recorded), so receiving servers and
 * clients that drop duplicate Message-IDs show it once, and the two copies thread as one.
 *
 * A letter held by the per-recipient cap (held_until) is not sent before its time. Then the first of the
 * mailbox's held letters to be taken up (its recipient_key, so jane+1@ and jane+2@ are one mailbox) claims itself
 * and the oldest others whose time has come, DIGEST_MAX_LETTERS in all, under an advisory lock per mailbox so that
 * two releases cannot split them, and sends them as one digest to its own address: one mail for the lot, each
 * letter recorded sent (or failed) with it. Letters beyond the bound wait for the next of their jobs to lead a
 * digest of their own.
 */
@Injectable()
export class LetterSenderService {
  private readonly logger = new Logger(LetterSenderService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(lettersConfig.KEY) private readonly letters: LettersConfig,
    private readonly templates: TemplateRenderer,
    private readonly vault: PersonalData,
  ) {}

  /** `lastTry`: a temporary failure is final, and marks the letter failed. */
  async send(letterId: string, { lastTry = false }: { lastTry?: boolean } = {}): Promise<SendResult> {
    const letter = await this.claim(letterId);
    if (letter) return this.deliver([letter], lastTry);
    // Nothing claimed: the letter is held, done with, gone, or leased to another sender right now.
    const [row] = await this.dataSource.query<{ status: LetterStatus; held_until: Date | null; due: boolean }[]>(
      `SELECT status, held_until, held_until <= now() AS due FROM letters WHERE id = $1`,
      [letterId],
    );
    if (!row) return { outcome: 'skipped', status: 'missing' };
    if (row.status !== LetterStatus.Queued) return { outcome: 'skipped', status: row.status };
    if (row.held_until && !row.due) return { outcome: 'held', until: row.held_until };
    if (row.held_until) {
      const released = await this.claimReleased(letterId);
      if (released) return this.deliver(released.letters, lastTry, released.lead, released.more);
    }
    return { outcome: 'busy' };
  }

  /**
   * Sends the claimed letters, all to one mailbox, to `lead`'s address: one as itself, several as one digest.
   * Records the outcome. `lastTry` is the lead's job's: a temporary failure on it fails the lead alone, and the
   * other letters stay queued, their own jobs' tries still to come. `more`: held letters left for later digests.
   */
  private async deliver(letters: LetterRow[], lastTry: boolean, lead = letters[0], more = 0): Promise<SendResult> {
    const privacy = await this.open(letters);
    if (privacy === 'withheld') return this.holdWithheld(letters);
    if (privacy === 'erased') return this.markFailed(letters, RECIPIENT_ERASED);
    if (!lead.recipient) return this.markFailed(letters, NO_RECIPIENT);
    const mail = letters.length === 1 ? this.single(lead) : this.digest(letters, lead, more);
    const tries = await this.recordTry(letters);
    try {
      await this.transport.send(mail);
    } catch (error) {
      // A relay's refusal often quotes the address: the reason is kept and logged without it.
      const reason = redactPersonalData(describeSmtpFailure(error));
      if (classifySmtpFailure(error) === 'permanent') return this.markFailed(letters, reason);
      const unreachable = isRelayUnreachable(error);
      const retried = lastTry && !unreachable ? letters.filter((l) => l !== lead) : letters;
      if (retried.length > 0) {
        this.logger.warn(`${this.describe(retried)} not sent, will retry: ${reason}`);
        await this.record(retried, `last_error = $5, claimed_until = NULL, sending_since = NULL`, null, {}, [reason]);
      }
      if (unreachable) return { outcome: 'relay-down', reason, tries };
      if (lastTry) return this.markFailed([lead], reason);
      return { outcome: 'retry', reason };
    }
    await this.record(
      letters,
      `status = 'sent', sent_at = now(), last_error = NULL, claimed_until = NULL, sending_since = NULL`,
      'letter.sent',
      letters.length > 1 ? { digest: { messageId: mail.messageId, letters: letters.length } } : {},
    );
    this.logger.log(`${this.describe(letters)} sent`, this.eventFields(LogEvent.LetterSent, letters));
    return { outcome: 'sent', messageId: mail.messageId };
  }

  /**
   * Opens the claimed letters as recorded (sealed under their recipients' subjects). 'withheld' when a parent's
   * request about someone in one of their cases is open: nothing about the case goes out until staff settle it.
   * 'erased' when a recipient was erased meanwhile.
   */
  private async open(letters: LetterRow[]): Promise<'ok' | 'withheld' | 'erased'> {
    const m = this.dataSource.manager;
    if (letters.some((l) => l.case_withheld)) return 'withheld';
    const keys = letters.flatMap((l) => subjectKeyOf(l));
    await this.vault.openRows(m, letters, ['recipient', 'subject', 'text', 'html'], { keys });
    if (letters.some((l) => l.recipient === WITHHELD)) return 'withheld';
    return letters.some((l) => l.recipient === ERASED) ? 'erased' : 'ok';
  }

  /** Gives the lease back and looks again in an hour: the letters wait for staff's decision on the request. */
  private async holdWithheld(letters: LetterRow[]): Promise<SendResult> {
    await this.record(letters, `claimed_until = NULL, held_until = now() + interval '1 hour'`, null);
    return { outcome: 'held', until: new Date(Date.now() + 3_600_000) };
  }

  private single(letter: LetterRow): OutgoingMail {
    return {
      from: this.mail.from,
      to: letter.recipient ?? '',
      subject: letter.subject,
      text: letter.text,
      html: letter.html,
      messageId: letter.message_id,
      inReplyTo: letter.in_reply_to ?? undefined,
      references: letter.references,
      headers: { ...AUTOMATED_HEADERS, 'X-Takedown-Case': letter.reference },
    };
  }

  /**
   * The held letters of one mailbox in one mail to `lead`'s address: why they waited, then each letter's subject
   * and text (and its own address, where a +tag made it another). Its Message-ID is the lead's, marked as a digest,
   * so that a resend after a lost outcome (the lead's job again) is the same mail; References name the letters' own
   * Message-IDs, so that a reply threads to one of their cases.
   */
  private digest(letters: LetterRow[], lead: LetterRow, more: number): OutgoingMail {
    const references = [...new Set(letters.map((l) => l.reference))];
    const to = lead.recipient ?? '';
    const rendered = this.templates.letter('digest', {
      site: { name: this.app.siteName, url: this.app.publicUrl },
      agent: this.app.agent,
      count: letters.length,
      more,
      max: DIGEST_MAX_LETTERS,
      cap: this.letters.capPerRecipient,
      windowMinutes: this.letters.capWindowMinutes,
      letters: letters.map((l) => ({
        reference: l.reference,
        subject: l.subject,
        text: l.text,
        to: l.recipient !== to ? l.recipient : undefined,
      })),
    });
    return {
      from: this.mail.from,
      to,
      ...rendered,
      messageId: letterMessageId(`digest-${lead.id}`, this.mail.from),
      references: letters.map((l) => l.message_id).slice(-DIGEST_REFERENCES),
      headers: { ...AUTOMATED_HEADERS, 'X-Takedown-Case': references.join(', ') },
    };
  }

  /**
   * Claims, for the release of `letterId`, that letter and the oldest other held letters of its mailbox
   * (recipient_key) whose time has come and that nobody holds a live lease on, DIGEST_MAX_LETTERS in all; nothing
   * unless `letterId` itself is free to claim. The advisory lock per mailbox makes concurrent releases (each held
   * letter's job comes back at the same moment) take turns: each claims a batch of its own, and the jobs of letters
   * already claimed find them leased. `more` counts the due letters left for later digests.
   */
  private async claimReleased(
    letterId: string,
  ): Promise<{ lead: LetterRow; letters: LetterRow[]; more: number } | undefined> {
    return this.dataSource.transaction(async (m) => {
      const [mailbox] = await m.query<{ recipient_key: string | null }[]>(
        `SELECT recipient_key FROM letters WHERE id = $1`,
        [letterId],
      );
      if (!mailbox?.recipient_key) return undefined;
      await m.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [RELEASE_LOCK, mailbox.recipient_key]);
      const letters = await m.query<LetterRow[]>(
        `WITH lead AS (
           SELECT id, recipient_key FROM letters WHERE id = $1 AND status = 'queued' AND held_until <= now()
             AND (claimed_until IS NULL OR claimed_until < now())),
         batch AS (
           SELECT id FROM lead
           UNION ALL
           (SELECT l.id FROM letters l JOIN lead ON l.recipient_key = lead.recipient_key
            WHERE l.id <> lead.id AND l.status = 'queued' AND l.held_until IS NOT NULL AND l.held_until <= now()
              AND (l.claimed_until IS NULL OR l.claimed_until < now())
            ORDER BY l.created_at, l.id LIMIT $3)),
         claimed AS (
           UPDATE letters l SET claimed_until = now() + make_interval(secs => $2)
           WHERE l.id IN (SELECT id FROM batch)
           ${CLAIM_RETURNING})
         ${CLAIMED_LETTER} ORDER BY l.created_at, l.id`,
        [letterId, this.letters.leaseSeconds, DIGEST_MAX_LETTERS - 1],
      );
      const lead = letters.find((l) => l.id === letterId);
      if (!lead) return undefined;
      const [left] = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM letters
         WHERE recipient_key = $1 AND status = 'queued' AND held_until IS NOT NULL AND held_until <= now()
           AND (claimed_until IS NULL OR claimed_until < now())`,
        [mailbox.recipient_key],
      );
      return { lead, letters, more: left.n };
    });
  }

  /** A delivery's ids for its line: one letter, or a digest's lead and the others. */
  private eventFields(event: LogEvent, letters: LetterRow[]) {
    const [first] = letters;
    return eventFields(event, {
      letterId: first.id,
      caseId: first.case_id,
      reference: first.reference,
      ...(letters.length > 1 ? { digestOf: letters.map((l) => l.id) } : {}),
    });
  }

  private describe(letters: LetterRow[]): string {
    const [first] = letters;
    return letters.length === 1
      ? `Letter ${first.id} (${first.reference})`
      : `Digest of ${letters.length} letters (${first.id} and others)`;
  }

  /**
   * Records the try before the SMTP conversation: one more attempt, and sending_since, which the outcome clears. A
   * letter whose last try set it and never cleared it (its worker died, or lost Postgres, mid-send) may have been
   * delivered already: this try is a re-send under the same Message-ID, counted in `resends` and logged. Answers
   * the lead's tries, this one included.
   */
  private async recordTry(letters: LetterRow[]): Promise<number> {
    const rows = await this.dataSource.query<{ id: string; attempts: number }[]>(
      `WITH tried AS (
         UPDATE letters l SET attempts = attempts + 1, resends = resends + (sending_since IS NOT NULL)::int,
                sending_since = now()
         FROM unnest($1::uuid[], $2::text[]) AS c(id, lease)
         WHERE l.id = c.id AND l.claimed_until = c.lease::timestamptz
         RETURNING l.id, l.attempts)
       SELECT id, attempts FROM tried`,
      [letters.map((l) => l.id), letters.map((l) => l.lease)],
    );
    const resent = letters.filter((l) => l.unconfirmed);
    if (resent.length > 0) {
      this.logger.warn(
        `${this.describe(resent)}: an earlier try recorded no outcome; sending again under the same Message-ID`,
      );
    }
    return rows.find((r) => r.id === letters[0].id)?.attempts ?? 1;
  }

  /**
   * Leases the letter if it is queued, not held, and nobody holds a live lease on it; an expired lease counts as
   * none. A held letter, even one whose time has come, goes through claimReleased with its recipient's others.
   */
  private async claim(letterId: string): Promise<LetterRow | undefined> {
    // A CTE, because TypeORM answers a bare UPDATE ... RETURNING with [rows, count] rather than rows.
    const [letter] = await this.dataSource.query<LetterRow[]>(
      `WITH claimed AS (
         UPDATE letters l SET claimed_until = now() + make_interval(secs => $2)
         WHERE id = $1 AND status = 'queued' AND held_until IS NULL
           AND (claimed_until IS NULL OR claimed_until < now())
         ${CLAIM_RETURNING})
       ${CLAIMED_LETTER}`,
      [letterId, this.letters.leaseSeconds],
    );
    return letter;
  }

  /**
   * Updates the letters with `set`, each guarded by `claimed_until` = its lease, and writes the outcome (`action`,
   * with `detail`) to each one's case audit log in the same statement; extra parameters follow from $5. A lease
   * that ran out meanwhile belongs to another sender now, and this one records nothing for that letter.
   */
  private async record(
    letters: LetterRow[],
    set: string,
    action: string | null,
    detail: object = {},
    params: unknown[] = [],
  ): Promise<void> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `WITH changed AS (
         UPDATE letters l SET ${set}
         FROM unnest($1::uuid[], $2::text[]) AS c(id, lease)
         WHERE l.id = c.id AND l.claimed_until = c.lease::timestamptz
         RETURNING l.id, l.case_id, l.kind, l.last_error),
       logged AS (
         INSERT INTO audit_events (case_id, actor, action, detail)
         SELECT case_id, 'worker', $3::text,
                jsonb_build_object('letter', id, 'kind', kind, 'error', last_error) || $4::jsonb
         FROM changed WHERE $3::text IS NOT NULL)
       SELECT count(*)::int AS n FROM changed`,
      [letters.map((l) => l.id), letters.map((l) => l.lease), action, JSON.stringify(detail), ...params],
    );
    if (row.n < letters.length) {
      this.logger.warn(`Lease lost on ${this.describe(letters)}; recorded nothing for ${letters.length - row.n}`);
    }
  }

  private async markFailed(letters: LetterRow[], reason: string): Promise<SendResult> {
    this.logger.warn(`${this.describe(letters)} failed: ${reason}`, this.eventFields(LogEvent.LetterFailed, letters));
    await this.record(
      letters,
      `status = 'failed', last_error = $5, claimed_until = NULL, sending_since = NULL`,
      'letter.failed',
      // The log keeps the reason with any address or phone number taken out; the letter row keeps it as it is.
      { error: systemText(reason) },
      [reason],
    );
    return { outcome: 'failed', reason };
  }
}

const AUTOMATED_HEADERS = {
  'Auto-Submitted': 'auto-generated',
  // Asks Exchange and Outlook not to answer with out-of-office replies.
  'X-Auto-Response-Suppress': 'All',
};
