import { createHmac, timingSafeEqual } from 'node:crypto';
import { recipientHash } from './recipient-cap';

/**
 * A link we mail to an address, whose owner follows it to show that the mailbox is theirs: once confirmed, letters to
 * it are not held by the per-recipient cap. The token names the address only by its keyed hash (recipient-cap.ts)
 * and is signed with APP_SECRET in its own domain, so it cannot be made from the hash alone, nor carries the address.
 */
export function confirmationToken(secret: string, address: string): string {
  const hash = recipientHash(secret, address);
  return `${hash}.${signature(secret, hash)}`;
}

/** The recipient hash a well-formed, genuinely signed token stands for; undefined otherwise. */
export function confirmedHash(secret: string, token: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const expected = Buffer.from(signature(secret, match[1]));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1] : undefined;
}

function signature(secret: string, hash: string): string {
  return createHmac('sha256', secret).update(`confirm-recipient:${hash}`).digest('base64url');
}
