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

/** The message of an SMTP error with the server's reply where there is one, short enough for a column. */
export function describeSmtpFailure(error: unknown): string {
  const base = error instanceof Error ? error.message : String(error);
  const response = (error as { response?: unknown } | null)?.response;
  const text = typeof response === 'string' && !base.includes(response) ? `${base}: ${response}` : base;
  return text.slice(0, 1000);
}
