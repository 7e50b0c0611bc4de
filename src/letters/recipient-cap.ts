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

/**
 * Which of the addresses whose keyed hashes (PersonalData.hashEmail) are $2 are verified senders for case $1
 * (verifiedSenders), one row each; exported so that a test can read its plan.
 */
export const VERIFIED_SENDER_SQL = `SELECT h.email_hash, EXISTS (
         SELECT 1 FROM cases c JOIN notices n ON n.case_id = c.id
         WHERE c.id = $1 AND c.agency_id IS NOT NULL AND n.sender_email_hash = h.email_hash)
    OR EXISTS (
         SELECT 1 FROM notices
         WHERE sender_email_hash = h.email_hash AND channel = 'email' AND auth->>'dmarc' = 'pass')
  AS verified
  FROM unnest($2::text[]) AS h(email_hash)`;

/**
 * The addresses (by PersonalData.hashEmail) that have shown they are the sender of the case's notices, so that
 * letters to them are not capped: the case was filed with an agency key and the address is one its notices came
 * from, or any email notice from the address passed DMARC (its domain vouched for the From). The API's and the
 * form's email field prove nothing, and neither does the status link: the API answers with it, so opening it shows
 * no control of the mailbox. (The link that does, mailed in the receipt, is checked apart: confirmedRecipients.)
 */
async function verifiedSenders(m: EntityManager, caseId: string, emailHashes: string[]): Promise<Set<string>> {
  const rows = await m.query<{ email_hash: string; verified: boolean }[]>(VERIFIED_SENDER_SQL, [
    caseId,
    [...new Set(emailHashes)],
  ]);
  return new Set(rows.filter((r) => r.verified).map((r) => r.email_hash));
}

/** The windows' keys (recipientHash) whose owner followed the confirmation link of one of our letters. */
async function confirmedRecipients(m: EntityManager, hashes: string[]): Promise<Set<string>> {
  const rows = await m.query<{ recipient_hash: string }[]>(
    `SELECT recipient_hash FROM confirmed_recipients WHERE recipient_hash = ANY($1::text[])`,
    [[...new Set(hashes)]],
  );
  return new Set(rows.map((r) => r.recipient_hash));
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

/** A letter just recorded, as the cap counts it. */
export interface CappedLetter {
  recipient: string;
  /** PersonalData.hashEmail(recipient): how the notices' sender addresses are compared. */
  emailHash: string;
}

/**
 * Counts letters just recorded for their recipients against the cap, in the caller's transaction and in their
 * order, and says until when each is held: undefined when it may go now. The count is one atomic upsert of the
 * recipients' rows: each row lock holds every other process counting for the same address until this transaction
 * ends, so concurrent routings cannot both take the last place, and a transaction that rolls back takes its count
 * with it. Several letters to one mailbox count one each, as so many letters one after another would. `secret` is
 * APP_SECRET, for recipientHash. It also deletes a few windows long over, so that the table holds current ones.
 */
export async function holdsUntil(
  m: EntityManager,
  config: LettersConfig,
  secret: string,
  caseId: string,
  letters: readonly CappedLetter[],
): Promise<(Date | undefined)[]> {
  if (config.capPerRecipient === 0 || letters.length === 0) return letters.map(() => undefined);
  const hashes = letters.map((l) => recipientHash(secret, l.recipient));
  const confirmed = await confirmedRecipients(m, hashes);
  const unconfirmed = letters.filter((_, i) => !confirmed.has(hashes[i]));
  const verified =
    unconfirmed.length > 0
      ? await verifiedSenders(
          m,
          caseId,
          unconfirmed.map((l) => l.emailHash),
        )
      : new Set();
  const counted = letters.map((l, i) => !confirmed.has(hashes[i]) && !verified.has(l.emailHash));
  const perWindow = new Map<string, number>();
  hashes.forEach((h, i) => counted[i] && perWindow.set(h, (perWindow.get(h) ?? 0) + 1));
  if (perWindow.size === 0) return letters.map(() => undefined);
  // Sorted, so that two transactions counting for the same recipients take their rows in one order.
  const windowHashes = [...perWindow.keys()].sort();
  // The prune rides along: it never touches the windows being counted (SKIP LOCKED: nor a window another transaction
  // is counting in, which is left to a later prune, not waited for).
  const windows = await m.query<{ recipient_hash: string; letters: number; window_end: Date }[]>(
    `WITH pruned AS (
       DELETE FROM letter_recipient_windows WHERE recipient_hash IN (
         SELECT recipient_hash FROM letter_recipient_windows
         WHERE window_end < now() - make_interval(hours => $4) AND recipient_hash <> ALL($1::text[])
         ORDER BY window_end LIMIT $5 FOR UPDATE SKIP LOCKED))
     INSERT INTO letter_recipient_windows AS w (recipient_hash, window_end, letters)
     SELECT h, now() + make_interval(secs => $2), n FROM unnest($1::text[], $3::int[]) AS u(h, n)
     ON CONFLICT (recipient_hash) DO UPDATE SET
       letters = CASE WHEN w.window_end <= now() THEN EXCLUDED.letters ELSE w.letters + EXCLUDED.letters END,
       window_end = CASE WHEN w.window_end <= now() THEN EXCLUDED.window_end ELSE w.window_end END
     RETURNING recipient_hash, letters, window_end`,
    [
      windowHashes,
      config.capWindowSeconds,
      windowHashes.map((h) => perWindow.get(h)!),
      PRUNE_AFTER_HOURS,
      PRUNE_BATCH * counted.filter(Boolean).length,
    ],
  );
  // The window's count after the batch, less the batch's letters to it still to come: each letter's own count.
  const windowOf = new Map(windows.map((w) => [w.recipient_hash, w]));
  const after = new Map(windows.map((w) => [w.recipient_hash, w.letters - perWindow.get(w.recipient_hash)!]));
  return letters.map((_, i) => {
    if (!counted[i]) return undefined;
    const window = windowOf.get(hashes[i])!;
    const count = after.get(hashes[i])! + 1;
    after.set(hashes[i], count);
    return count > config.capPerRecipient ? window.window_end : undefined;
  });
}
