import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type MailConfig, mailConfig } from '../core/config';
import { MailTransport } from '../core/mail/mail-transport';
import { classifySmtpFailure, describeSmtpFailure } from '../core/mail/smtp-failure';
import { LetterStatus } from './letter.entity';
import { NO_RECIPIENT } from './letters.service';

interface LetterRow {
  id: string;
  reference: string;
  recipient: string | null;
  subject: string;
  text: string;
  html: string;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  /** claimed_until as Postgres wrote it, to the microsecond: the token that proves the letter is still ours. */
  lease: string;
}

/**
 * How long a claimed letter is ours. Comfortably above the transport's timeouts for one delivery (10 s to connect,
 * 10 s for the greeting, 60 s of socket silence: about 80 s), so a live sender finishes, one way or the other,
 * long before its lease runs out. A worker that dies mid-send holds the letter this long; then a retry takes it.
 */
export const LETTER_LEASE_SECONDS = 5 * 60;

export type SendResult =
  | { outcome: 'sent'; messageId: string }
  /** Nothing to do: the letter was already sent or failed, or is gone. */
  | { outcome: 'skipped'; status: LetterStatus | 'missing' }
  /** Just marked failed: a permanent refusal, or the last try of a temporary one. */
  | { outcome: 'failed'; reason: string }
  /** A temporary failure, recorded; the letter stays queued for the next try. */
  | { outcome: 'retry'; reason: string }
  /** Another worker is sending it right now. */
  | { outcome: 'busy' };

/**
 * Sends one recorded letter, once. The letter is claimed with a lease (claimed_until) in one short statement; the
 * SMTP conversation runs outside any transaction, so a slow relay holds no pool connection and no row lock; the
 * outcome is recorded in a short statement of its own, and only while claimed_until still holds the lease this
 * call set. A second sender given the same letter meanwhile finds it claimed and answers busy (its job tries
 * again later); a worker that dies mid-send leaves the lease to run out (LETTER_LEASE_SECONDS), then a retry
 * takes the letter up.
 *
 * What remains is at-least-once. If the server accepts the message (250 after DATA) and the worker dies or loses
 * Postgres before it records the letter sent, the letter is still queued and, once the lease has run out, the
 * retry sends it again. Likewise, should a send ever outlast its lease (the lease is set well above the
 * transport's timeouts so that it does not), another worker may send the letter too, and the late sender records
 * nothing. Either copy carries the same Message-ID (fixed when the letter was recorded), so receiving servers and
 * clients that drop duplicate Message-IDs show it once, and the two copies thread as one.
 */
@Injectable()
export class LetterSenderService {
  private readonly logger = new Logger(LetterSenderService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
  ) {}

  /** `lastTry`: a temporary failure is final, and marks the letter failed. */
  async send(letterId: string, { lastTry = false }: { lastTry?: boolean } = {}): Promise<SendResult> {
    const letter = await this.claim(letterId);
    if (!letter) {
      // Nothing claimed: the letter is done with, gone, or leased to another sender right now.
      const [row] = await this.dataSource.query<{ status: LetterStatus }[]>(
        `SELECT status FROM letters WHERE id = $1`,
        [letterId],
      );
      if (!row) return { outcome: 'skipped', status: 'missing' };
      return row.status === LetterStatus.Queued ? { outcome: 'busy' } : { outcome: 'skipped', status: row.status };
    }
    if (!letter.recipient) return this.markFailed(letter, NO_RECIPIENT);

    try {
      await this.transport.send({
        from: this.mail.from,
        to: letter.recipient,
        subject: letter.subject,
        text: letter.text,
        html: letter.html,
        messageId: letter.message_id,
        inReplyTo: letter.in_reply_to ?? undefined,
        references: letter.references,
        headers: {
          'Auto-Submitted': 'auto-generated',
          // Asks Exchange and Outlook not to answer with out-of-office replies.
          'X-Auto-Response-Suppress': 'All',
          'X-Takedown-Case': letter.reference,
        },
      });
    } catch (error) {
      const reason = describeSmtpFailure(error);
      if (classifySmtpFailure(error) === 'permanent' || lastTry) return this.markFailed(letter, reason);
      this.logger.warn(`Letter ${letter.id} (${letter.reference}) not sent, will retry: ${reason}`);
      await this.record(letter, `attempts = attempts + 1, last_error = $4, claimed_until = NULL`, null, [reason]);
      return { outcome: 'retry', reason };
    }
    await this.record(
      letter,
      `status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL, claimed_until = NULL`,
      'letter.sent',
    );
    return { outcome: 'sent', messageId: letter.message_id };
  }

  /** Leases the letter if it is queued and nobody holds a live lease on it; an expired lease counts as none. */
  private async claim(letterId: string): Promise<LetterRow | undefined> {
    // A CTE, because TypeORM answers a bare UPDATE ... RETURNING with [rows, count] rather than rows.
    const [letter] = await this.dataSource.query<LetterRow[]>(
      `WITH claimed AS (
         UPDATE letters SET claimed_until = now() + make_interval(secs => $2)
         WHERE id = $1 AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < now())
         RETURNING id, case_id, recipient, subject, text, html, message_id, in_reply_to, "references", claimed_until)
       SELECT l.id, c.reference, l.recipient, l.subject, l.text, l.html, l.message_id, l.in_reply_to,
              l."references", l.claimed_until::text AS lease
       FROM claimed l JOIN cases c ON c.id = l.case_id`,
      [letterId, LETTER_LEASE_SECONDS],
    );
    return letter;
  }

  /**
   * Updates the letter with `set`, guarded by `claimed_until = $2` (our lease), and writes the outcome (`action`)
   * to the case's audit log in the same statement; extra parameters follow from $4. A lease that ran out meanwhile
   * belongs to another sender now, and this one records nothing.
   */
  private async record(letter: LetterRow, set: string, action: string | null, params: unknown[] = []): Promise<void> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `WITH changed AS (
         UPDATE letters SET ${set} WHERE id = $1 AND claimed_until = $2::timestamptz
         RETURNING id, case_id, kind, last_error),
       logged AS (
         INSERT INTO audit_events (case_id, actor, action, detail)
         SELECT case_id, 'worker', $3::text, jsonb_build_object('letter', id, 'kind', kind, 'error', last_error)
         FROM changed WHERE $3::text IS NOT NULL)
       SELECT count(*)::int AS n FROM changed`,
      [letter.id, letter.lease, action, ...params],
    );
    if (row.n === 0) this.logger.warn(`Lease lost on letter ${letter.id} (${letter.reference}); recorded nothing`);
  }

  private async markFailed(letter: LetterRow, reason: string): Promise<SendResult> {
    this.logger.warn(`Letter ${letter.id} failed: ${reason}`);
    await this.record(
      letter,
      `status = 'failed', attempts = attempts + 1, last_error = $4, claimed_until = NULL`,
      'letter.failed',
      [reason],
    );
    return { outcome: 'failed', reason };
  }
}
