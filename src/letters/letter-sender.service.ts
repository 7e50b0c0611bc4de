import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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
  status: LetterStatus;
}

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
 * Sends one recorded letter, once. The letter's row is locked (FOR UPDATE SKIP LOCKED) for the whole SMTP
 * conversation, so a second worker given the same letter skips it instead of sending it again, and a worker that
 * dies mid-send releases the lock with its connection. The row is marked sent in the same transaction.
 *
 * What remains is at-least-once: if the server accepts the message (250 after DATA) and the worker dies or loses
 * Postgres before the commit, the letter is still queued and the retry sends it again. The copy carries the same
 * Message-ID (fixed when the letter was recorded), so receiving servers and clients that drop duplicate
 * Message-IDs show it once, and the two copies thread as one.
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
  send(letterId: string, { lastTry = false }: { lastTry?: boolean } = {}): Promise<SendResult> {
    return this.dataSource.transaction((m) => this.sendLocked(m, letterId, lastTry));
  }

  private async sendLocked(m: EntityManager, letterId: string, lastTry: boolean): Promise<SendResult> {
    const [letter] = await m.query<LetterRow[]>(
      `SELECT l.id, c.reference, l.recipient, l.subject, l.text, l.html, l.message_id, l.in_reply_to,
              l."references", l.status
       FROM letters l JOIN cases c ON c.id = l.case_id WHERE l.id = $1 FOR UPDATE OF l SKIP LOCKED`,
      [letterId],
    );
    if (!letter) {
      // A plain read does not wait for the lock: it tells a letter being sent from one that is gone.
      const [row] = await m.query<{ status: LetterStatus }[]>(`SELECT status FROM letters WHERE id = $1`, [letterId]);
      return row ? { outcome: 'busy' } : { outcome: 'skipped', status: 'missing' };
    }
    if (letter.status !== LetterStatus.Queued) return { outcome: 'skipped', status: letter.status };
    if (!letter.recipient) return this.markFailed(m, letter.id, NO_RECIPIENT);

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
      if (classifySmtpFailure(error) === 'permanent' || lastTry) return this.markFailed(m, letter.id, reason);
      this.logger.warn(`Letter ${letter.id} (${letter.reference}) not sent, will retry: ${reason}`);
      await m.query(`UPDATE letters SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [letter.id, reason]);
      return { outcome: 'retry', reason };
    }
    await m.query(
      `UPDATE letters SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
      [letter.id],
    );
    return { outcome: 'sent', messageId: letter.message_id };
  }

  private async markFailed(m: EntityManager, id: string, reason: string): Promise<SendResult> {
    this.logger.warn(`Letter ${id} failed: ${reason}`);
    await m.query(`UPDATE letters SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
      id,
      reason,
    ]);
    return { outcome: 'failed', reason };
  }
}
