/** Whether an SMTP delivery error is worth retrying. */
export type SmtpFailure = 'permanent' | 'temporary';

/**
 * A 5xx reply is the server's final word (unknown mailbox, message refused): retrying sends the same refusal.
 * Everything else is temporary: 4xx replies (greylisting, full mailbox), timeouts, refused connections. A 5xx
 * to our login (EAUTH) is our misconfiguration, not the letter's fault, so it is retried until someone fixes it.
 */
export function classifySmtpFailure(error: unknown): SmtpFailure {
  const { responseCode, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
  };
  if (code === 'EAUTH') return 'temporary';
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 ? 'permanent' : 'temporary';
}

/** nodemailer's codes for a socket that failed or timed out; with command CONN, before the server said anything. */
const CONNECT_CODES = new Set(['ETIMEDOUT', 'ESOCKET']);

/**
 * Whether the relay itself could not be reached or would not talk, whichever letter it was: a refused or failed
 * connection (nodemailer marks the command CONN), DNS, or 421 (service not available). Such a failure says nothing
 * about the letter, only that it must wait for the relay.
 */
export function isRelayUnreachable(error: unknown): boolean {
  const { responseCode, code, command } = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
  };
  if (responseCode === 421) return true;
  if (code === 'ECONNECTION' || code === 'EDNS') return true;
  return typeof code === 'string' && CONNECT_CODES.has(code) && command === 'CONN';
}

/** What stands in an error message for an email address. */
export const ADDRESS_PLACEHOLDER = '[address]';

const MAX_DESCRIPTION = 1000;

/**
 * The message of an SMTP error with the server's reply where there is one, short enough for a column, and with
 * every email address in it replaced by ADDRESS_PLACEHOLDER: servers echo the recipient in their refusals
 * ("550 5.1.1 <jane@example.org>: Recipient address rejected"), and this text goes to logs, to failed jobs kept in
 * Redis (the queue dashboard shows them) and to letters.last_error. The reply code and enhanced status stay.
 */
export function describeSmtpFailure(error: unknown): string {
  const base = error instanceof Error ? error.message : String(error);
  const response = (error as { response?: unknown } | null)?.response;
  const text = typeof response === 'string' && !base.includes(response) ? `${base}: ${response}` : base;
  // Redacted before it is cut, so that no address is left half-cut at the end.
  return redactAddresses(text.slice(0, 10 * MAX_DESCRIPTION)).slice(0, MAX_DESCRIPTION);
}

/** Characters that end an address in running text: space, brackets, quotes and list separators. */
const BOUNDARY = new Set([' ', '\t', '\r', '\n', '<', '>', '(', ')', '[', ']', '{', '}', '"', "'", ',', ';', '`']);

/**
 * Replaces every word that contains an "@" (an address, or what is left of one) with ADDRESS_PLACEHOLDER. One pass
 * from each "@" out to the nearest boundary on each side, never back over text already passed: linear in the text.
 */
export function redactAddresses(text: string): string {
  let out = '';
  let done = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > done && !BOUNDARY.has(text[start - 1])) start--;
    let end = at + 1;
    while (end < text.length && !BOUNDARY.has(text[end])) end++;
    // A trailing full stop or colon ends the sentence, not the address.
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === ':')) end--;
    out += text.slice(done, start) + ADDRESS_PLACEHOLDER;
    done = end;
    at = text.indexOf('@', end);
  }
  return out + text.slice(done);
}
