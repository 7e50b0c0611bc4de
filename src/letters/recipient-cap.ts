import { createHmac } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LettersConfig } from '../core/config';

/** Windows that ended longer ago than this are pruned, this many at a time, as letters are recorded. */
const PRUNE_AFTER_HOURS = 24;
const PRUNE_BATCH = 100;

/**
 * The address as the cap counts it: lower-cased, and without a "+tag" in the local part, since jane+1@ and jane+2@
 * reach one mailbox. (Providers that ignore dots, as Gmail does, are not folded: that is theirs, not the standard.)
 */
export function recipientKey(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return address.trim().toLowerCase();
  const local = address.slice(0, at).trim();
  const plus = local.indexOf('+');
  return `${(plus > 0 ? local.slice(0, plus) : local).toLowerCase()}@${address
    .slice(at + 1)
    .trim()
    .toLowerCase()}`;
}

/** Whether $2 is a verified sender for case $1 (isVerifiedSender); exported so that a test can read its plan. */
export const VERIFIED_SENDER_SQL = `SELECT EXISTS (
         SELECT 1 FROM cases c JOIN notices n ON n.case_id = c.id
         WHERE c.id = $1 AND c.agency_id IS NOT NULL AND n.sender_email_hash = $2)
    OR EXISTS (
         SELECT 1 FROM notices
         WHERE sender_email_hash = $2 AND channel = 'email' AND auth->>'dmarc' = 'pass')
  AS verified`;

/**
 * Whether `recipient` has shown it is the sender of the case's notices, so that letters to it are not capped: the
 * case was filed with an agency key and the address is one its notices came from, or any email notice from the
 * address passed DMARC (its domain vouched for the From). The API's and the form's email field prove nothing, and
 * neither does the status link: the API answers with it, so opening it shows no control of the mailbox. (The link
 * that does, mailed in the receipt, is checked apart: isConfirmed.)
 */
async function isVerifiedSender(m: EntityManager, caseId: string, emailHash: string): Promise<boolean> {
  const [row] = await m.query<{ verified: boolean }[]>(VERIFIED_SENDER_SQL, [caseId, emailHash]);
  return row.verified;
}

/** Whether the address's owner followed the confirmation link of one of our letters (recipient-confirmation.ts). */
async function isConfirmed(m: EntityManager, hash: string): Promise<boolean> {
  const rows = await m.query<unknown[]>(`SELECT 1 FROM confirmed_recipients WHERE recipient_hash = $1`, [hash]);
  return rows.length > 0;
}

/**
 * The window's key for an address: a keyed hash (HMAC-SHA256 with APP_SECRET) of its recipientKey, so that the
 * table counts letters to third parties without naming them, and nobody who reads it can test a guessed address.
 */
export function recipientHash(secret: string, address: string): string {
  return createHmac('sha256', secret)
    .update(`letter-recipient:${recipientKey(address)}`)
    .digest('base64url');
}

/**
 * Counts a letter just recorded for `recipient` against the cap, in the caller's transaction, and says until when
 * it is held: undefined when it may go now. The count is one atomic upsert of the recipient's row: its row lock
 * holds every other process counting for the same address until this transaction ends, so concurrent routings
 * cannot both take the last place, and a transaction that rolls back takes its count with it. `secret` is
 * APP_SECRET, for recipientHash. It also deletes a few windows long over, so that the table holds current ones.
 */
export async function holdUntil(
  m: EntityManager,
  config: LettersConfig,
  secret: string,
  caseId: string,
  recipient: string,
  /** PersonalData.hashEmail(recipient): how the notices' sender addresses are compared. */
  emailHash: string,
): Promise<Date | undefined> {
  if (config.capPerRecipient === 0) return undefined;
  const hash = recipientHash(secret, recipient);
  if ((await isConfirmed(m, hash)) || (await isVerifiedSender(m, caseId, emailHash))) return undefined;
  const [window] = await m.query<{ letters: number; window_end: Date }[]>(
    `INSERT INTO letter_recipient_windows AS w (recipient_hash, window_end, letters)
     VALUES ($1, now() + make_interval(secs => $2), 1)
     ON CONFLICT (recipient_hash) DO UPDATE SET
       letters = CASE WHEN w.window_end <= now() THEN 1 ELSE w.letters + 1 END,
       window_end = CASE WHEN w.window_end <= now() THEN EXCLUDED.window_end ELSE w.window_end END
     RETURNING letters, window_end`,
    [hash, config.capWindowSeconds],
  );
  // SKIP LOCKED: a window another transaction is counting in is left to a later prune, not waited for.
  await m.query(
    `DELETE FROM letter_recipient_windows WHERE recipient_hash IN (
       SELECT recipient_hash FROM letter_recipient_windows WHERE window_end < now() - make_interval(hours => $1)
       ORDER BY window_end LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [PRUNE_AFTER_HOURS, PRUNE_BATCH],
  );
  return window.letters > config.capPerRecipient ? window.window_end : undefined;
}
