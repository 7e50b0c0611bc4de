import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The links a privacy request's mails carry. Both are derived with APP_SECRET, so that the mail can be rendered at
 * send time from the request's row without the row holding a token: the confirmation token is found by its SHA-256
 * (stored), the export token names its request and expiry and is checked against the expiry stored, so a newer link
 * replaces an older one.
 */

/** The token of a request's confirmation link. */
export function confirmToken(secret: string, requestId: string): string {
  return createHmac('sha256', secret).update(`privacy-confirm:${requestId}`).digest('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A confirmation token as it looks (what the link may carry), before any database look-up. */
export function isConfirmTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The export link's token: the request, when the link stops working (whole seconds), and the signature. */
export function exportToken(secret: string, requestId: string, expiresAt: Date): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  return `${requestId}.${expiry}.${exportSignature(secret, requestId, expiry)}`;
}

/** The request and expiry a genuinely signed export token names; undefined for anything else. */
export function readExportToken(secret: string, token: string): { requestId: string; expiresAt: Date } | undefined {
  const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, requestId, expiry, given] = match;
  const expected = Buffer.from(exportSignature(secret, requestId, Number(expiry)));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  return { requestId, expiresAt: new Date(Number(expiry) * 1000) };
}

/** An expiry in whole seconds, as the export token carries it. */
export function wholeSeconds(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

function exportSignature(secret: string, requestId: string, expiry: number): string {
  return createHmac('sha256', secret).update(`privacy-export:${requestId}.${expiry}`).digest('base64url');
}
