import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { PersonalData } from '../core/privacy/personal-data.service';

/**
 * The uploader's status-link token for the case, made the first time it is asked for; the address is kept sealed
 * under the uploader's data subject and found by its keyed hash.
 */
export async function uploaderToken(
  m: EntityManager,
  vault: PersonalData,
  caseId: string,
  email: string,
): Promise<string> {
  return (await uploaderTokens(m, vault, caseId, [email]))[0];
}

/** uploaderToken for several addresses, in order, in a statement or two whatever their number. */
export async function uploaderTokens(
  m: EntityManager,
  vault: PersonalData,
  caseId: string,
  emails: readonly string[],
): Promise<string[]> {
  if (emails.length === 0) return [];
  const addresses = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  const subjectIds = await vault.subjects(m, addresses);
  const sealed = await vault.sealMany(
    m,
    addresses.map((a, i) => ({ subjectId: subjectIds[i], values: [a] })),
  );
  // One row per address (an upsert may not touch a row twice), sorted so that concurrent writers lock in one order.
  const rows = addresses
    .map((a, i) => ({ hash: vault.hashEmail(a), email: sealed[i][0], subjectId: subjectIds[i] }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const tokens = await m.query<{ email_hash: string; token: string }[]>(
    `INSERT INTO uploader_links (case_id, email, email_hash, subject_id, token)
     SELECT $1, u.email, u.email_hash, u.subject_id, u.token
     FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[]) AS u(email, email_hash, subject_id, token)
     ON CONFLICT (case_id, email_hash) DO UPDATE SET email = EXCLUDED.email RETURNING email_hash, token`,
    [
      caseId,
      rows.map((r) => r.email),
      rows.map((r) => r.hash),
      rows.map((r) => r.subjectId),
      rows.map(() => randomBytes(24).toString('base64url')),
    ],
  );
  const tokenOf = new Map(tokens.map((t) => [t.email_hash, t.token]));
  return emails.map((e) => tokenOf.get(vault.hashEmail(e.trim().toLowerCase()))!);
}
