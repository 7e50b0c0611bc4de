import { headerValue, type RawHeader } from './raw-message';

/**
 * Why a message is machine mail that must not become a case (RFC 3834 auto-replies, RFC 3464 bounces, read receipts),
 * or undefined. `envelopeFrom` is the SMTP MAIL FROM: '' for the null sender `<>`, null when the channel had none.
 *
 * "Auto-Submitted: auto-generated" and "Precedence: bulk" alone do not make a loop: agencies send their notices that
 * way. They are ignored only on a reply to one of our letters (`isReplyToUs`), which is where a loop would start.
 */
export function loopReason(
  headers: RawHeader[],
  envelopeFrom: string | null,
  isReplyToUs: boolean,
): string | undefined {
  if (envelopeFrom === '') return 'bounce: empty envelope sender';
  const returnPath = headerValue(headers, 'return-path');
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath)) return 'bounce: empty Return-Path';
  const from = headerValue(headers, 'from') ?? '';
  if (/\b(mailer-daemon|postmaster)@/i.test(from) || /^\s*"?mail delivery (subsystem|system)/i.test(from))
    return `bounce: from ${/mailer-daemon/i.test(from) ? 'MAILER-DAEMON' : 'postmaster'}`;
  const contentType = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  if (contentType.startsWith('multipart/report')) {
    if (/report-type\s*=\s*"?disposition-notification/.test(contentType)) return 'read receipt';
    return 'bounce: delivery status report';
  }

  const autoSubmitted = headerValue(headers, 'auto-submitted')?.toLowerCase().split(';')[0].trim();
  if (autoSubmitted === 'auto-replied') return 'auto-reply: Auto-Submitted: auto-replied';
  if (headers.some((h) => h.name === 'x-autoreply' || h.name === 'x-autorespond'))
    return 'auto-reply: X-Autoreply header';
  const precedence = headerValue(headers, 'precedence')?.toLowerCase().trim();
  if (precedence === 'auto_reply') return 'auto-reply: Precedence: auto_reply';
  if (isReplyToUs) {
    if (autoSubmitted !== undefined && autoSubmitted !== 'no')
      return `auto-reply: Auto-Submitted: ${autoSubmitted} in reply to our letter`;
    if (precedence === 'bulk' || precedence === 'junk')
      return `auto-reply: Precedence: ${precedence} in reply to our letter`;
  }
  return undefined;
}
